import { Injectable } from '@nestjs/common';
import type { AttemptOutcome } from './webhook.types.js';

export interface WebhookMetricsSnapshot {
  attempts: Record<AttemptOutcome, number>;
  subscriptionsDisabled: { gone: number; failures: number };
  enqueued: number;
  enqueueErrors: number;
}

/** In-process counters for this node; the metrics module reads them through `snapshot()`. */
@Injectable()
export class WebhookMetrics {
  private readonly attempts: Record<AttemptOutcome, number> = { delivered: 0, retry: 0, failed: 0 };
  private disabledGone = 0;
  private disabledFailures = 0;
  private enqueuedCount = 0;
  private enqueueErrorCount = 0;

  attempt(outcome: AttemptOutcome): void {
    this.attempts[outcome] += 1;
  }

  subscriptionDisabled(reason: 'gone' | 'failures'): void {
    if (reason === 'gone') this.disabledGone += 1;
    else this.disabledFailures += 1;
  }

  enqueued(count: number): void {
    this.enqueuedCount += count;
  }

  enqueueFailed(): void {
    this.enqueueErrorCount += 1;
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
