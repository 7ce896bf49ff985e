import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import { settledWithin } from '../common/async/within.js';
import { JOB_TRANSITIONED, type JobTransitionedEvent } from '../jobs/job-events.js';
import type { Job } from '../jobs/job.js';
import { resultUrl } from '../jobs/job-view.mapper.js';
import { eventForStatus, jobEventPayload, messageIdFor, type WebhookEventType } from './domain/webhook-events.js';
import { WebhookDeliveryQueue } from './delivery/delivery-queue.port.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * Turns job transitions on this node into deliveries: one row per subscribed endpoint plus the
 * job's callbackUrl, inserted after the job's own transaction committed. The insert is the
 * durable step; its key (webhook-id, endpoint) makes a repeat a no-op.
 */
@Injectable()
export class JobEventWebhooks implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobEventWebhooks.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly config: AppConfig,
    private readonly repository: WebhooksRepository,
    private readonly queue: WebhookDeliveryQueue,
    private readonly metrics: WebhookMetrics,
  ) {}

  @OnEvent(JOB_TRANSITIONED)
  onJobTransitioned(event: JobTransitionedEvent): void {
    const type = eventForStatus(event.to);
    if (!type) return;
    const work: Promise<void> = this.enqueue(event.job, type)
      .catch((error: unknown) => {
        this.metrics.enqueueFailed();
        this.logger.error({ msg: 'enqueuing webhook deliveries failed', jobId: event.job.id, event: type, error: String(error) });
      })
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  async enqueue(job: Job, type: WebhookEventType): Promise<void> {
    const messageId = messageIdFor(job.id, type, job.attempts);
    const payload = jobEventPayload(messageId, type, {
      jobId: job.id,
      status: job.status,
      attempt: job.attempts,
      at: job.updatedAt,
      resultUrl: this.absolute(resultUrl(job)),
      error: job.lastError,
    });
    const deliveries = await this.repository.enqueueJobEvent({
      messageId,
      eventType: type,
      jobId: job.id,
      body: JSON.stringify(payload),
      callbackUrl: job.callbackUrl,
      tenant: job.tenant,
    });
    if (deliveries.length === 0) return;
    this.metrics.enqueued(deliveries.length);
    await this.queue.enqueued(deliveries);
  }

  /** Transitions made while the workers drain still get their rows written. */
  async beforeApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + this.config.shutdownGraceMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await settledWithin(Promise.allSettled([...this.pending]), deadline - Date.now());
    }
    if (this.pending.size > 0) this.logger.warn({ msg: 'shutting down with webhook events not enqueued', pending: this.pending.size });
  }

  private absolute(path: string | null): string | null {
    if (path === null || !this.config.publicBaseUrl) return path;
    return new URL(path, this.config.publicBaseUrl).toString();
  }
}
