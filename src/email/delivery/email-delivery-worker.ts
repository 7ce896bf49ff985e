import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { settledWithin } from '../../common/async/within.js';
import { EmailDeliveryQueue } from './email-delivery-queue.js';
import { SmtpMailer } from './smtp-mailer.js';

/** Sends emails on worker nodes once the app is up (when SMTP_URL is set); lets attempts in flight finish on shutdown. */
@Injectable()
export class EmailDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmailDeliveryWorker.name);
  private started = false;

  constructor(
    private readonly config: AppConfig,
    private readonly queue: EmailDeliveryQueue,
    private readonly mailer: SmtpMailer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsWorkers || !this.mailer.enabled) return;
    await this.queue.startConsuming(this.config.email.concurrency);
    this.started = true;
    this.logger.log({ msg: 'email delivery started', queue: this.queue.name, concurrency: this.config.email.concurrency });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const stopped = await settledWithin(this.queue.stopConsuming(), this.config.shutdownGraceMs);
    this.logger.log({ msg: 'email delivery stopped', drained: stopped });
  }
}
