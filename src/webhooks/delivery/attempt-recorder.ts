import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { WebhookMetrics } from '../webhook-metrics.js';
import { WebhookAttemptLogRepository, type AttemptRecord } from '../webhook-attempt-log.repository.js';
import { WebhookSubscriptionsRepository } from '../webhook-subscriptions.repository.js';
import { MicroBatcher } from '../../common/async/micro-batcher.js';

export interface AttemptToRecord extends AttemptRecord {
  subscriptionId: string | null;
  messageId: string;
  eventType: string;
  /** With outcome 'failed': the receiver answered 410 and the subscription is disabled at once. */
  gone: boolean;
}

/**
 * Writes attempt outcomes to PostgreSQL in group commits (one statement for every attempt that
 * finished while the previous write ran), then applies failures to their subscriptions: the
 * streak grows and a subscription is disabled at 410 or after N consecutive failed messages.
 */
@Injectable()
export class AttemptRecorder {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly batcher = new MicroBatcher<AttemptToRecord, boolean>((records) => this.flush(records));

  constructor(
    private readonly config: AppConfig,
    private readonly log: WebhookAttemptLogRepository,
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly metrics: WebhookMetrics,
  ) {}

  /** Resolves true once written; false when the delivery moved on meanwhile (nothing written). */
  record(record: AttemptToRecord): Promise<boolean> {
    return this.batcher.submit(record);
  }

  idle(): Promise<void> {
    return this.batcher.idle();
  }

  private async flush(records: AttemptToRecord[]): Promise<boolean[]> {
    const written = new Set((await this.log.recordAttempts(records)).map((row) => row.id));
    for (const record of records) {
      if (!written.has(record.deliveryId)) continue;
      this.metrics.attempt(record.outcome);
      if (record.outcome === 'failed') await this.failed(record);
    }
    return records.map((record) => written.has(record.deliveryId));
  }

  private async failed(record: AttemptToRecord): Promise<void> {
    this.logger.warn({
      msg: 'webhook delivery failed',
      deliveryId: record.deliveryId,
      messageId: record.messageId,
      event: record.eventType,
      reason: record.error,
    });
    if (!record.subscriptionId) return;
    const subscription = await this.subscriptions.recordFailure(record.subscriptionId, record.gone, this.config.webhooks.disableAfterFailures);
    if (!subscription?.justDisabled) return;
    this.metrics.subscriptionDisabled(record.gone ? 'gone' : 'failures');
    this.logger.warn({
      msg: 'webhook subscription disabled',
      subscriptionId: record.subscriptionId,
      reason: subscription.disabledReason,
      consecutiveFailures: subscription.consecutiveFailures,
    });
  }
}
