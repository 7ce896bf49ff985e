import { Injectable, Logger } from '@nestjs/common';
import { DeadJobAlerts } from '../alerts/dead-job-alerts.js';
import type { AlertTransaction, QueueAlert, QueueAlertSink } from '../alerts/queue-alert-sink.port.js';
import { CROSS_TENANT } from '../common/tenant.js';
import { AppConfig } from '../config/app-config.js';
import type { QueuedDelivery } from '../notifications/delivery/delivery-queue.port.js';
import { QUEUE_ALERT_EVENT_TYPE, queueAlertMessageId, queueAlertPayload } from './domain/webhook-events.js';
import { WebhookDeliveryQueueRepository } from './delivery/webhook-delivery-queue.repository.js';
import { WebhookDeliveryQueue } from './delivery/webhook-delivery-queue.js';
import { WebhookMetrics } from './webhook-metrics.js';

/**
 * ALERT_WEBHOOK_URL receives a signed `queue.alert` event (WEBHOOK_CALLBACK_SECRET, like a job's
 * callbackUrl) for each raised dead-job alert: a delivery row written in the transaction that claims
 * the alert's window — one per type and window across nodes — retried like every webhook.
 */
@Injectable()
export class QueueAlertWebhooks implements QueueAlertSink {
  readonly name = 'queue-alert-webhook';
  private readonly logger = new Logger(QueueAlertWebhooks.name);
  private readonly written = new WeakMap<QueueAlert, QueuedDelivery[]>();
  private readonly url: string | undefined;

  constructor(
    config: AppConfig,
    alerts: DeadJobAlerts,
    private readonly queue: WebhookDeliveryQueue,
    private readonly rows: WebhookDeliveryQueueRepository,
    private readonly metrics: WebhookMetrics,
  ) {
    this.url = config.operator.alertWebhookUrl;
    if (this.url) alerts.register(this);
  }

  async record(alert: QueueAlert, tx: AlertTransaction): Promise<void> {
    if (!this.url) return;
    const messageId = queueAlertMessageId(alert.jobType, alert.windowStart);
    const body = JSON.stringify(queueAlertPayload(messageId, new Date(), alert));
    const rows = await this.rows.enqueueCallback(tx, { messageId, url: this.url, eventType: QUEUE_ALERT_EVENT_TYPE, body, tenant: CROSS_TENANT });
    this.written.set(alert, rows);
  }

  afterCommit(alert: QueueAlert): void {
    const rows = this.written.get(alert) ?? [];
    this.written.delete(alert);
    if (rows.length === 0) return;
    this.metrics.enqueued(rows.length);
    this.queue.enqueued(rows).catch((error: unknown) => {
      this.metrics.enqueueFailed();
      this.logger.warn({ msg: 'handing the queue.alert delivery to the queue failed; it is retried from the table', error: String(error) });
    });
  }
}
