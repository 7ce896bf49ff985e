import { decodeTimeCursor } from '../common/pagination/cursor.js';
import type { WebhookEventDto } from './dto/webhook-event.dto.js';
import type { DeliveryAttemptDto, DeliveryDto, WebhookDto } from './dto/webhook-views.dto.js';
import type { Delivery, DeliveryAttempt, PageCursor, Subscription } from './webhook.types.js';

export function toWebhookDto(subscription: Subscription, now: Date = new Date()): WebhookDto {
  const overlapLive = subscription.previousSecretExpiresAt && subscription.previousSecretExpiresAt > now;
  return {
    id: subscription.id,
    tenant: subscription.tenant,
    url: subscription.url,
    events: subscription.events,
    description: subscription.description,
    enabled: subscription.enabled,
    disabledReason: subscription.disabledReason,
    disabledAt: subscription.disabledAt?.toISOString() ?? null,
    consecutiveFailures: subscription.consecutiveFailures,
    previousSecretExpiresAt: overlapLive ? (subscription.previousSecretExpiresAt?.toISOString() ?? null) : null,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

export function toAttemptDto(attempt: DeliveryAttempt): DeliveryAttemptDto {
  return {
    attempt: attempt.attempt,
    round: attempt.round,
    at: attempt.startedAt.toISOString(),
    statusCode: attempt.statusCode,
    latencyMs: attempt.latencyMs,
    outcome: attempt.outcome,
    error: attempt.error,
    retryAt: attempt.retryAt?.toISOString() ?? null,
  };
}

export function toDeliveryDto(delivery: Delivery, attempts: readonly DeliveryAttempt[]): DeliveryDto {
  return {
    id: delivery.id,
    messageId: delivery.messageId,
    webhookId: delivery.subscriptionId,
    event: delivery.eventType,
    jobId: delivery.jobId,
    url: delivery.url,
    status: delivery.status,
    attemptCount: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    payload: JSON.parse(delivery.body) as WebhookEventDto,
    attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id).map(toAttemptDto),
  };
}

export function decodeCursor(cursor: string | undefined): PageCursor | undefined {
  return cursor === undefined ? undefined : decodeTimeCursor(cursor);
}

