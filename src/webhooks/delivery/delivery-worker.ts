import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { WebhookDeliveryQueue } from './webhook-delivery-queue.js';
import { settledWithin } from '../../common/async/within.js';

/** Starts delivering on worker nodes once the app is up; lets attempts in flight finish on shutdown. */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private started = false;

  constructor(
    private readonly config: AppConfig,
    private readonly queue: WebhookDeliveryQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsWorkers) return;
    await this.queue.startConsuming(this.config.webhooks.concurrency);
    this.started = true;
    this.logger.log({ msg: 'webhook delivery started', queue: this.queue.name, concurrency: this.config.webhooks.concurrency });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Rows are durable in PostgreSQL: a queue client stuck on a lost Redis connection must not hang shutdown.
    const stopped = await settledWithin(this.queue.stopConsuming(), this.config.shutdownGraceMs);
    this.logger.log({ msg: 'webhook delivery stopped', drained: stopped });
  }
}
