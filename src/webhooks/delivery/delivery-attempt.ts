import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { decide, type Decision, type RetryRules } from '../domain/retry-decision.js';
import { signatureHeaders } from '../domain/signature.js';
import { TEST_EVENT_TYPE } from '../domain/webhook-events.js';
import { WebhookMetrics } from '../webhook-metrics.js';
import type { DeliveryToSend } from '../webhook.types.js';
import { WebhooksRepository } from '../webhooks.repository.js';
import { SigningSecrets } from './signing-secrets.js';
import { WebhookHttpClient } from './webhook-http-client.js';

export type AttemptVerdict = Decision | { outcome: 'skipped'; reason: string };

/**
 * One attempt of one delivery, the same on both profiles: sign with the live secrets, POST,
 * apply the retry rules, and write the outcome to the attempt log. The queue adapters only
 * decide when this runs.
 */
@Injectable()
export class DeliveryAttemptRunner {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly rules: RetryRules;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: WebhooksRepository,
    private readonly http: WebhookHttpClient,
    private readonly secrets: SigningSecrets,
    private readonly metrics: WebhookMetrics,
  ) {
    this.rules = retryRules(config);
  }

  async attempt(delivery: DeliveryToSend): Promise<AttemptVerdict> {
    if (delivery.subscriptionId !== null && delivery.subscriptionEnabled === false && delivery.eventType !== TEST_EVENT_TYPE) {
      const reason = 'the subscription is disabled';
      await this.repository.cancelDelivery(delivery.id, delivery.round, reason);
      return { outcome: 'skipped', reason };
    }
    const startedAt = new Date();
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const headers = signatureHeaders(delivery.messageId, timestamp, delivery.body, this.secrets.for(delivery, startedAt));
    const sent = await this.http.post(delivery.subscriptionUrl ?? delivery.url, { ...headers }, delivery.body);
    const decision = decide(sent.result, delivery.roundAttempts, this.rules);
    const outcome = decision.outcome;
    const recorded = await this.repository.recordAttempt({
      deliveryId: delivery.id,
      round: delivery.round,
      roundAttempt: delivery.roundAttempts,
      outcome,
      startedAt,
      webhookTimestamp: timestamp,
      statusCode: sent.statusCode,
      latencyMs: sent.latencyMs,
      error: decision.outcome === 'delivered' ? null : decision.reason,
      responseExcerpt: sent.responseExcerpt,
      retryAt: outcome === 'retry' ? new Date(Date.now() + decision.delayMs) : null,
      gone: outcome === 'failed' && decision.disable === 'gone',
      disableAfter: this.config.webhooks.disableAfterFailures,
    });
    if (!recorded.recorded) return { outcome: 'skipped', reason: 'the delivery moved on during the attempt' };
    this.metrics.attempt(outcome);
    if (outcome === 'failed') {
      this.logger.warn({ msg: 'webhook delivery failed', deliveryId: delivery.id, messageId: delivery.messageId, event: delivery.eventType, reason: decision.reason });
    }
    if (recorded.justDisabled) {
      const gone = outcome === 'failed' && decision.disable === 'gone';
      this.metrics.subscriptionDisabled(gone ? 'gone' : 'failures');
      this.logger.warn({
        msg: 'webhook subscription disabled',
        subscriptionId: recorded.subscriptionId,
        reason: recorded.disabledReason,
        consecutiveFailures: recorded.consecutiveFailures,
      });
    }
    return decision;
  }
}

export function retryRules(config: AppConfig): RetryRules {
  const settings = config.webhooks;
  return {
    backoffMs: settings.backoffMs,
    maxAttempts: settings.maxAttempts,
    jitter: settings.jitter,
    retryAfterMaxMs: settings.retryAfterMaxMs,
    retryable4xx: settings.retryable4xx,
  };
}
