import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { JobEvent, JobEventSink, JobEventTransaction } from '../jobs/job-event.js';
import { JobStatus } from '../jobs/domain/job-status.js';
import { JobEventRelay } from '../jobs/job-event-relay.js';
import { resultUrl } from '../jobs/job-view.mapper.js';
import { eventForStatus, jobEventPayload, messageIdFor } from './domain/webhook-events.js';
import { WebhookDeliveryQueue } from './delivery/webhook-delivery-queue.js';
import { JobEventDeliveriesRepository, type JobEventToDeliver } from './job-event-deliveries.repository.js';
import { WebhookMetrics } from './webhook-metrics.js';
import type { QueuedDelivery } from '../notifications/delivery/delivery-queue.port.js';

/**
 * Turns job events into deliveries: one row per subscribed endpoint plus the job's callbackUrl,
 * written in the event relay's transaction (so a job event is never lost between a job's move and its
 * webhook), then handed to the delivery queue once committed.
 */
@Injectable()
export class JobEventWebhooks implements JobEventSink {
  readonly name = 'webhooks';
  private readonly logger = new Logger(JobEventWebhooks.name);
  private readonly written = new WeakMap<readonly JobEvent[], QueuedDelivery[]>();

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: JobEventDeliveriesRepository,
    private readonly queue: WebhookDeliveryQueue,
    private readonly metrics: WebhookMetrics,
    relay: JobEventRelay,
  ) {
    relay.register(this);
  }

  async record(events: readonly JobEvent[], tx: JobEventTransaction): Promise<void> {
    const toDeliver = events.flatMap((event) => this.toDeliver(event));
    const enqueued = await this.deliveries.enqueue(toDeliver, tx);
    this.written.set(events, enqueued);
  }

  afterCommit(events: readonly JobEvent[]): void {
    const enqueued = this.written.get(events) ?? [];
    this.written.delete(events);
    if (enqueued.length === 0) return;
    this.metrics.enqueued(enqueued.length);
    this.queue.enqueued(enqueued).catch((error: unknown) => {
      // The rows are committed: the queue's own reconciliation picks them up later.
      this.metrics.enqueueFailed();
      this.logger.warn({ msg: 'handing webhook deliveries to the queue failed; they are retried from the table', count: enqueued.length, error: String(error) });
    });
  }

  private toDeliver(event: JobEvent): JobEventToDeliver[] {
    const type = eventForStatus(event.to);
    if (!type) return [];
    const messageId = messageIdFor(event.job.id, type, event.attempt);
    const payload = jobEventPayload(messageId, type, {
      jobId: event.job.id,
      status: event.to,
      attempt: event.attempt,
      at: event.at,
      resultUrl: event.to === JobStatus.COMPLETED ? this.absolute(resultUrl({ ...event.job, status: event.to })) : null,
      error: event.error,
    });
    return [{ messageId, eventType: type, jobId: event.job.id, body: JSON.stringify(payload), callbackUrl: event.job.callbackUrl, tenant: event.job.tenant }];
  }

  private absolute(path: string | null): string | null {
    if (path === null || !this.config.publicBaseUrl) return path;
    return new URL(path, this.config.publicBaseUrl).toString();
  }
}
