import { Injectable, Logger } from '@nestjs/common';
import type { JobEventTransaction } from '../jobs/job-event.js';
import type { QueuedDelivery } from '../notifications/delivery/delivery-queue.port.js';
import type { JobNotice } from '../notifications/job-notice.js';
import type { NotificationChannel } from '../notifications/notification-channel.port.js';
import { NotificationHub } from '../notifications/notification-hub.js';
import { jobEventPayload } from './domain/webhook-events.js';
import { WebhookDeliveryQueue } from './delivery/webhook-delivery-queue.js';
import { JobEventDeliveriesRepository, type JobEventToDeliver } from './job-event-deliveries.repository.js';
import { WebhookMetrics } from './webhook-metrics.js';

/**
 * The webhook channel of the notification port: one delivery row per subscribed endpoint plus the
 * job's callbackUrl, written in the event relay's transaction, then handed to the delivery queue once committed.
 */
@Injectable()
export class JobEventWebhooks implements NotificationChannel {
  readonly name = 'webhooks';
  private readonly logger = new Logger(JobEventWebhooks.name);
  private readonly written = new WeakMap<readonly JobNotice[], QueuedDelivery[]>();

  constructor(
    private readonly deliveries: JobEventDeliveriesRepository,
    private readonly queue: WebhookDeliveryQueue,
    private readonly metrics: WebhookMetrics,
    hub: NotificationHub,
  ) {
    hub.register(this);
  }

  async record(notices: readonly JobNotice[], tx: JobEventTransaction): Promise<void> {
    const enqueued = await this.deliveries.enqueue(notices.map(toDeliver), tx);
    this.written.set(notices, enqueued);
  }

  afterCommit(notices: readonly JobNotice[]): void {
    const enqueued = this.written.get(notices) ?? [];
    this.written.delete(notices);
    if (enqueued.length === 0) return;
    this.metrics.enqueued(enqueued.length);
    this.queue.enqueued(enqueued).catch((error: unknown) => {
      // The rows are committed: the queue's own reconciliation picks them up later.
      this.metrics.enqueueFailed();
      this.logger.warn({ msg: 'handing webhook deliveries to the queue failed; they are retried from the table', count: enqueued.length, error: String(error) });
    });
  }
}

function toDeliver(notice: JobNotice): JobEventToDeliver {
  const payload = jobEventPayload(notice.messageId, notice.event, {
    jobId: notice.jobId,
    status: notice.status,
    attempt: notice.attempt,
    at: notice.at,
    resultUrl: notice.resultUrl,
    error: notice.error,
  });
  return {
    messageId: notice.messageId,
    eventType: notice.event,
    jobId: notice.jobId,
    body: JSON.stringify(payload),
    callbackUrl: notice.callbackUrl,
    tenant: notice.tenant,
  };
}
