import { rowDateOrNull } from '../common/sql/row-values.js';
import type { AttemptOutcome, Delivery, DeliveryAttempt, DeliveryStatus, DeliveryToSend, Subscription } from './webhook.types.js';

/** Row shapes and SQL fragments the webhook repositories share. */
export type Row = Record<string, unknown>;

/**
 * Claims and attempt outcomes commit asynchronously (no wait for the WAL flush): a crash can lose
 * the last fraction of a second of them, which only means those deliveries are sent again under the
 * same webhook-id (at least once, as always). Enqueuing and subscription changes stay synchronous.
 */
export const ASYNC_COMMIT = `async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)`;

export const SUBSCRIPTION_COLUMNS = `id, tenant, url, events, description, secret, previous_secret, previous_secret_expires_at, enabled,
  disabled_reason, disabled_at, consecutive_failures, created_at, updated_at`;

/** The columns of a claimed delivery joined with its subscription (alias d and s): what an attempt needs. */
export const TO_SEND_COLUMNS = `d.id, d.message_id, d.subscription_id, d.url, d.event_type, d.body, d.round, d.round_attempts,
  s.url AS subscription_url, s.enabled AS subscription_enabled, s.secret, s.previous_secret, s.previous_secret_expires_at`;

export function toSubscription(row: Row): Subscription {
  return {
    id: row.id as string,
    tenant: row.tenant as string,
    url: row.url as string,
    events: row.events as string[],
    description: (row.description as string | null) ?? null,
    secret: row.secret as string,
    previousSecret: (row.previous_secret as string | null) ?? null,
    previousSecretExpiresAt: rowDateOrNull(row.previous_secret_expires_at),
    enabled: row.enabled as boolean,
    disabledReason: (row.disabled_reason as string | null) ?? null,
    disabledAt: rowDateOrNull(row.disabled_at),
    consecutiveFailures: Number(row.consecutive_failures),
    createdAt: rowDateOrNull(row.created_at) as Date,
    updatedAt: rowDateOrNull(row.updated_at) as Date,
  };
}

export function toDelivery(row: Row): Delivery {
  return {
    id: row.id as string,
    messageId: row.message_id as string,
    endpointKey: row.endpoint_key as string,
    subscriptionId: (row.subscription_id as string | null) ?? null,
    url: row.url as string,
    eventType: row.event_type as string,
    jobId: (row.job_id as string | null) ?? null,
    body: row.body as string,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    round: Number(row.round),
    roundAttempts: Number(row.round_attempts),
    nextAttemptAt: rowDateOrNull(row.next_attempt_at),
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: rowDateOrNull(row.created_at) as Date,
    updatedAt: rowDateOrNull(row.updated_at) as Date,
    deliveredAt: rowDateOrNull(row.delivered_at),
  };
}

export function toDeliveryToSend(row: Row): DeliveryToSend {
  return {
    id: row.id as string,
    messageId: row.message_id as string,
    subscriptionId: (row.subscription_id as string | null) ?? null,
    url: row.url as string,
    eventType: row.event_type as string,
    body: row.body as string,
    round: Number(row.round),
    roundAttempts: Number(row.round_attempts),
    subscriptionUrl: (row.subscription_url as string | null) ?? null,
    subscriptionEnabled: (row.subscription_enabled as boolean | null) ?? null,
    secret: (row.secret as string | null) ?? null,
    previousSecret: (row.previous_secret as string | null) ?? null,
    previousSecretExpiresAt: rowDateOrNull(row.previous_secret_expires_at),
  };
}

export function toAttempt(row: Row): DeliveryAttempt {
  return {
    id: String(row.id),
    deliveryId: row.delivery_id as string,
    attempt: Number(row.attempt),
    round: Number(row.round),
    startedAt: rowDateOrNull(row.started_at) as Date,
    webhookTimestamp: Number(row.webhook_timestamp),
    statusCode: row.status_code === null ? null : Number(row.status_code),
    latencyMs: Number(row.latency_ms),
    outcome: row.outcome as AttemptOutcome,
    error: (row.error as string | null) ?? null,
    retryAt: rowDateOrNull(row.retry_at),
  };
}
