import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { decide, type RetryRules } from '../domain/retry-decision.js';
import { signatureHeaders } from '../domain/signature.js';
import { TEST_EVENT_TYPE } from '../domain/webhook-events.js';
import type { DeliveryToSend } from '../webhook.types.js';
import type { AttemptRun, DeliveryAttempts } from '../../notifications/delivery/delivery-queue.port.js';
import { WebhookDeliveryQueueRepository } from './webhook-delivery-queue.repository.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { SigningSecrets } from './signing-secrets.js';
import { WebhookHttpClient } from './webhook-http-client.js';

/**
 * One attempt of one delivery, the same on both profiles: sign with the live secrets, POST,
 * apply the retry rules, and hand the outcome to the attempt log. The queue adapters only
 * decide when this runs.
 */
@Injectable()
export class DeliveryAttemptRunner implements DeliveryAttempts<DeliveryToSend> {
  private readonly rules: RetryRules;

  constructor(
    config: AppConfig,
    private readonly repository: WebhookDeliveryQueueRepository,
    private readonly http: WebhookHttpClient,
    private readonly secrets: SigningSecrets,
    private readonly recorder: AttemptRecorder,
  ) {
    this.rules = retryRules(config);
  }

  async attempt(delivery: DeliveryToSend): Promise<AttemptRun> {
    if (delivery.subscriptionId !== null && delivery.subscriptionEnabled === false && delivery.eventType !== TEST_EVENT_TYPE) {
      const reason = 'the subscription is disabled';
      await this.repository.cancelDelivery(delivery.id, delivery.round, reason);
      return { verdict: { outcome: 'skipped', reason }, recorded: Promise.resolve(false) };
    }
    const startedAt = new Date();
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const headers = signatureHeaders(delivery.messageId, timestamp, delivery.body, this.secrets.for(delivery, startedAt));
    const sent = await this.http.post(delivery.subscriptionUrl ?? delivery.url, { ...headers }, delivery.body);
    const decision = decide(sent.result, delivery.roundAttempts, this.rules);
    const recorded = this.recorder.record({
      deliveryId: delivery.id,
      round: delivery.round,
      roundAttempt: delivery.roundAttempts,
      outcome: decision.outcome,
      startedAt,
      webhookTimestamp: timestamp,
      statusCode: sent.statusCode,
      latencyMs: sent.latencyMs,
      error: decision.outcome === 'delivered' ? null : decision.reason,
      retryDelayMs: decision.outcome === 'retry' ? decision.delayMs : null,
      subscriptionId: delivery.subscriptionId,
      messageId: delivery.messageId,
      eventType: delivery.eventType,
      gone: decision.outcome === 'failed' && decision.disable === 'gone',
    });
    return { verdict: decision, recorded };
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
