import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';
import type { AttemptOutcome } from './webhook.types.js';

export interface WebhookMetricsSnapshot {
  attempts: Record<AttemptOutcome, number>;
  subscriptionsDisabled: { gone: number; failures: number };
  enqueued: number;
  enqueueErrors: number;
}

/** Counters of this node, exported at /metrics and readable through `snapshot()`. */
@Injectable()
export class WebhookMetrics {
  private readonly attempts: Record<AttemptOutcome, number> = { delivered: 0, retry: 0, failed: 0 };
  private disabledGone = 0;
  private disabledFailures = 0;
  private enqueuedCount = 0;
  private enqueueErrorCount = 0;
  private readonly attemptsTotal: Counter<'outcome'>;
  private readonly disabledTotal: Counter<'reason'>;
  private readonly enqueuedTotal: Counter;
  private readonly enqueueErrorsTotal: Counter;

  constructor(metrics: MetricsService) {
    this.attemptsTotal = metrics.counter('longhaul_webhook_attempts_total', 'Webhook delivery attempts by outcome', ['outcome']);
    this.disabledTotal = metrics.counter('longhaul_webhook_subscriptions_disabled_total', 'Subscriptions disabled (410 Gone, or too many failures in a row)', ['reason']);
    this.enqueuedTotal = metrics.counter('longhaul_webhook_messages_enqueued_total', 'Webhook messages enqueued for delivery');
    this.enqueueErrorsTotal = metrics.counter('longhaul_webhook_enqueue_errors_total', 'Webhook messages that could not be enqueued');
  }

  attempt(outcome: AttemptOutcome): void {
    this.attempts[outcome] += 1;
    this.attemptsTotal.inc({ outcome });
  }

  subscriptionDisabled(reason: 'gone' | 'failures'): void {
    if (reason === 'gone') this.disabledGone += 1;
    else this.disabledFailures += 1;
    this.disabledTotal.inc({ reason });
  }

  enqueued(count: number): void {
    this.enqueuedCount += count;
    this.enqueuedTotal.inc(count);
  }

  enqueueFailed(): void {
    this.enqueueErrorCount += 1;
    this.enqueueErrorsTotal.inc();
  }

  /** Subscriptions this node disabled (410 or the consecutive-failure threshold). */
  get subscriptionsDisabledTotal(): number {
    return this.disabledGone + this.disabledFailures;
  }

  snapshot(): WebhookMetricsSnapshot {
    return {
      attempts: { ...this.attempts },
      subscriptionsDisabled: { gone: this.disabledGone, failures: this.disabledFailures },
      enqueued: this.enqueuedCount,
      enqueueErrors: this.enqueueErrorCount,
    };
  }
}
