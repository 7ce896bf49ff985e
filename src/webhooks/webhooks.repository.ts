import { rowDateOrNull } from '../common/sql/row-values.js';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope.js';
import type {
  AttemptOutcome,
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  DeliveryToSend,
  PageCursor,
  Subscription,
} from './webhook.types.js';

/**
 * Claims and attempt outcomes commit asynchronously (no wait for the WAL flush): a crash can lose
 * the last fraction of a second of them, which only means those deliveries are sent again under the
 * same webhook-id (at least once, as always). Enqueuing and subscription changes stay synchronous.
 */
const ASYNC_COMMIT = `async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)`;

/** NOTIFY channel: new or redelivered rows in webhook_deliveries (embedded profile). */
export const WEBHOOK_DELIVERIES_CHANNEL = 'longhaul_webhooks';
export const CALLBACK_ENDPOINT = 'callback';

type Row = Record<string, unknown>;

const SUBSCRIPTION_COLUMNS = `id, tenant, url, events, description, secret, previous_secret, previous_secret_expires_at, enabled,
  disabled_reason, disabled_at, consecutive_failures, created_at, updated_at`;

/** The columns of a claimed delivery joined with its subscription (alias d and s): what an attempt needs. */
const TO_SEND_COLUMNS = `d.id, d.message_id, d.subscription_id, d.url, d.event_type, d.body, d.round, d.round_attempts,
  s.url AS subscription_url, s.enabled AS subscription_enabled, s.secret, s.previous_secret, s.previous_secret_expires_at`;

export interface NewSubscription {
  tenant: string;
  url: string;
  events: string[];
  description: string | null;
  secret: string;
}

export interface SubscriptionPatch {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}

export interface AttemptRecord {
  deliveryId: string;
  round: number;
  roundAttempt: number;
  outcome: AttemptOutcome;
  startedAt: Date;
  webhookTimestamp: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  retryAt: Date | null;
}

export interface StartRequest {
  id: string;
  round: number;
  roundAttempt: number;
}

export interface SubscriptionFailure {
  consecutiveFailures: number;
  justDisabled: boolean;
  disabledReason: string | null;
}

export interface StoredSecrets {
  id: string;
  secret: string;
  previousSecret: string | null;
}

export interface EnqueuedDelivery {
  id: string;
  round: number;
}

/**
 * Every webhook statement in one place: subscriptions, the delivery queue table and the attempt log.
 * UPDATE/DELETE … RETURNING sit in a CTE because TypeORM answers a bare UPDATE with [rows, count].
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: DataSource) {}

  // ---- subscriptions ----

  async insertSubscription(input: NewSubscription): Promise<Subscription> {
    const rows = await this.db.query<Row[]>(
      `INSERT INTO webhook_subscriptions (id, url, events, description, secret, tenant)
       VALUES ($1, $2, $3::text[], $4, $5, $6) RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [randomUUID(), input.url, input.events, input.description, input.secret, input.tenant],
    );
    return toSubscription(rows[0]);
  }

  async findSubscription(id: string, scope: TenantScope): Promise<Subscription | null> {
    const rows = await this.db.query<Row[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`,
      [id, tenantParam(scope)],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async listSubscriptions(before: PageCursor | undefined, limit: number, scope: TenantScope): Promise<Subscription[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions
       WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)) AND ($4::text IS NULL OR tenant = $4)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [before?.createdAt ?? null, before?.id ?? null, limit, tenantParam(scope)],
    );
    return rows.map(toSubscription);
  }

  /** Re-enabling clears the failure streak and the reason it was disabled. */
  async updateSubscription(id: string, patch: SubscriptionPatch, scope: TenantScope): Promise<Subscription | null> {
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE webhook_subscriptions SET
         url = coalesce($2, url),
         events = coalesce($3::text[], events),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         consecutive_failures = CASE WHEN $6::boolean IS TRUE AND NOT enabled THEN 0 ELSE consecutive_failures END,
         disabled_reason = CASE WHEN $6::boolean IS TRUE THEN NULL
                                WHEN $6::boolean IS FALSE AND enabled THEN 'disabled by request' ELSE disabled_reason END,
         disabled_at = CASE WHEN $6::boolean IS TRUE THEN NULL
                            WHEN $6::boolean IS FALSE AND enabled THEN now() ELSE disabled_at END,
         enabled = coalesce($6::boolean, enabled),
         updated_at = now()
       WHERE id = $1 AND ($7::text IS NULL OR tenant = $7) RETURNING ${SUBSCRIPTION_COLUMNS}) SELECT * FROM changed`,
      [
        id,
        patch.url ?? null,
        patch.events ?? null,
        patch.description !== undefined,
        patch.description ?? null,
        patch.enabled ?? null,
        tenantParam(scope),
      ],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async deleteSubscription(id: string, scope: TenantScope): Promise<boolean> {
    const rows = await this.db.query<Row[]>(
      `WITH deleted AS (DELETE FROM webhook_subscriptions WHERE id = $1 AND ($2::text IS NULL OR tenant = $2) RETURNING id) SELECT id FROM deleted`,
      [id, tenantParam(scope)],
    );
    return rows.length > 0;
  }

  /** The current secret becomes the previous one (signing until the overlap ends); `secret` becomes current. */
  async rotateSecret(
    id: string,
    secret: string,
    overlapSeconds: number,
    scope: TenantScope,
  ): Promise<Subscription | null> {
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE webhook_subscriptions SET
         previous_secret = CASE WHEN $3::int > 0 THEN secret END,
         previous_secret_expires_at = CASE WHEN $3::int > 0 THEN now() + make_interval(secs => $3::int) END,
         secret = $2, updated_at = now()
       WHERE id = $1 AND ($4::text IS NULL OR tenant = $4) RETURNING ${SUBSCRIPTION_COLUMNS}) SELECT * FROM changed`,
      [id, secret, overlapSeconds, tenantParam(scope)],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** Every subscription's stored secrets (for the start-up re-seal). */
  async storedSecrets(): Promise<StoredSecrets[]> {
    const rows = await this.db.query<Row[]>(`SELECT id, secret, previous_secret FROM webhook_subscriptions`);
    return rows.map((row) => ({ id: row.id as string, secret: row.secret as string, previousSecret: (row.previous_secret as string | null) ?? null }));
  }

  /** Replaces the stored secrets only if they are still `was` (a rotation meanwhile wins). */
  async replaceSecrets(was: StoredSecrets, next: Omit<StoredSecrets, 'id'>): Promise<boolean> {
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE webhook_subscriptions SET secret = $4, previous_secret = $5
         WHERE id = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3 RETURNING id) SELECT id FROM changed`,
      [was.id, was.secret, was.previousSecret, next.secret, next.previousSecret],
    );
    return rows.length > 0;
  }

  // ---- enqueue ----

  async enqueueTest(
    subscription: Subscription,
    messageId: string,
    eventType: string,
    body: string,
  ): Promise<Delivery> {
    const rows = await this.db.query<Row[]>(
      `INSERT INTO webhook_deliveries (id, message_id, endpoint_key, subscription_id, url, event_type, body, status, next_attempt_at, tenant)
       VALUES (gen_random_uuid(), $1, $2, $3::uuid, $4, $5, $6, 'pending', now(), $7) RETURNING *`,
      [messageId, subscription.id, subscription.id, subscription.url, eventType, body, subscription.tenant],
    );
    return toDelivery(rows[0]);
  }

  /** A finished delivery goes round again with the same webhook-id; null if it is not finished. */
  async redeliver(id: string): Promise<Delivery | null> {
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE webhook_deliveries SET status = 'pending', round = round + 1, round_attempts = 0, next_attempt_at = now(),
         handed_off = false, locked_until = NULL, locked_by = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('delivered', 'failed', 'cancelled') RETURNING *) SELECT * FROM changed`,
      [id],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  // ---- the table queue (embedded profile) ----

  /**
   * Due pending rows, then rows whose claimer died mid-attempt (lease over). Each claim counts as an
   * attempt. Two index-ordered scans (not one OR) so a claim costs the same with 10 or 100 000 waiting.
   */
  async claimDue(limit: number, leaseMs: number, workerId: string): Promise<DeliveryToSend[]> {
    const rows = await this.db.query<Row[]>(
      `WITH due AS (
         SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), abandoned AS (
         SELECT id FROM webhook_deliveries WHERE status = 'delivering' AND locked_until < now()
          ORDER BY locked_until LIMIT greatest($1 - (SELECT count(*) FROM due), 0) FOR UPDATE SKIP LOCKED
       ), picked AS (
         SELECT id FROM due UNION ALL SELECT id FROM abandoned
       ), claimed AS (
         UPDATE webhook_deliveries d SET status = 'delivering', attempts = d.attempts + 1, round_attempts = d.round_attempts + 1,
           locked_until = now() + make_interval(secs => $2::float8 / 1000), locked_by = $3, updated_at = now()
         FROM picked WHERE d.id = picked.id
         RETURNING d.id, d.message_id, d.subscription_id, d.url, d.event_type, d.body, d.round, d.round_attempts
       ), ${ASYNC_COMMIT}
       SELECT ${TO_SEND_COLUMNS} FROM claimed d CROSS JOIN async_commit LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id`,
      [limit, leaseMs, workerId],
    );
    return rows.map(toDeliveryToSend);
  }

  /** Claimed rows this worker never started (it is stopping): due again at once, the claim not counted. */
  async releaseClaims(ids: readonly string[], workerId: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = attempts - 1, round_attempts = round_attempts - 1,
         locked_until = NULL, locked_by = NULL, next_attempt_at = now(), updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status = 'delivering' AND locked_by = $2`,
      [ids, workerId],
    );
  }

  /** When the table queue should look again: the next due retry or the next lease to expire. */
  async nextDueAt(): Promise<Date | null> {
    const rows = await this.db.query<Array<{ at: Date | null }>>(
      `SELECT least((SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'),
                    (SELECT min(locked_until) FROM webhook_deliveries WHERE status = 'delivering')) AS at`,
    );
    return rows[0]?.at ?? null;
  }

  // ---- the Bull queue (Redis) ----

  /**
   * Bull owns the schedule; this marks attempts in their rows (many at once) and returns what is
   * needed to send them. A row that is gone (subscription deleted) or finished is left out.
   */
  async startAttempts(requests: readonly StartRequest[]): Promise<DeliveryToSend[]> {
    const rows = await this.db.query<Row[]>(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS t(id uuid, round int, round_attempt int)
       ), started AS (
         UPDATE webhook_deliveries d SET status = 'delivering', attempts = d.attempts + 1, round_attempts = i.round_attempt, updated_at = now()
           FROM input i
          WHERE d.id = i.id AND d.round = i.round AND d.status IN ('pending', 'delivering')
          RETURNING d.id, d.message_id, d.subscription_id, d.url, d.event_type, d.body, d.round, d.round_attempts
       ), ${ASYNC_COMMIT}
       SELECT ${TO_SEND_COLUMNS} FROM started d CROSS JOIN async_commit LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id`,
      [
        JSON.stringify(
          requests.map((request) => ({
            id: request.id,
            round: request.round,
            round_attempt: request.roundAttempt,
          })),
        ),
      ],
    );
    return rows.map(toDeliveryToSend);
  }

  async markHandedOff(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE webhook_deliveries SET handed_off = true WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Rows committed but never handed to Bull (the node died in between). */
  async findNotHandedOff(olderThanMs: number, limit: number): Promise<EnqueuedDelivery[]> {
    return await this.db.query<EnqueuedDelivery[]>(
      `SELECT id, round FROM webhook_deliveries
        WHERE status = 'pending' AND NOT handed_off AND created_at < now() - make_interval(secs => $1::float8 / 1000)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  /**
   * Rows handed to Bull that made no progress for `staleMs`: an attempt that never recorded its outcome
   * (the node died mid-attempt and Bull gave up on the stalled job), or a due retry nobody picked up
   * (its Bull job was lost with Redis' memory). The reconciler checks each against Bull.
   */
  async findStuckHandedOff(staleMs: number, limit: number): Promise<EnqueuedDelivery[]> {
    return await this.db.query<EnqueuedDelivery[]>(
      `(SELECT id, round FROM webhook_deliveries
         WHERE status = 'delivering' AND handed_off AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
         ORDER BY locked_until LIMIT $2)
       UNION ALL
       (SELECT id, round FROM webhook_deliveries
         WHERE status = 'pending' AND handed_off AND next_attempt_at < now() - make_interval(secs => $1::float8 / 1000)
         ORDER BY next_attempt_at LIMIT $2)`,
      [staleMs, limit],
    );
  }

  // ---- outcome of attempts (both profiles) ----

  /**
   * One statement for many attempts: each joins the log and moves its delivery on (pending with
   * the retry time, delivered, or failed), and subscriptions with a delivered message get their
   * failure streak reset. Guarded by (round, round_attempts, status) so a stale worker cannot
   * overwrite a newer attempt; returns the ids actually written.
   */
  async recordAttempts(
    records: readonly AttemptRecord[],
  ): Promise<Array<{ id: string; subscriptionId: string | null }>> {
    const rows = await this.db.query<Array<{ id: string; subscription_id: string | null }>>(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS t(delivery_id uuid, round int, round_attempt int, outcome text,
           started_at timestamptz, webhook_timestamp bigint, status_code int, latency_ms int, error text, retry_at timestamptz)
       ), d AS (
         UPDATE webhook_deliveries w SET
           status = CASE WHEN i.outcome = 'retry' THEN 'pending' ELSE i.outcome END,
           next_attempt_at = i.retry_at, locked_until = NULL, locked_by = NULL,
           last_status_code = i.status_code, last_error = i.error, updated_at = now(),
           delivered_at = CASE WHEN i.outcome = 'delivered' THEN now() ELSE w.delivered_at END
           FROM input i
          WHERE w.id = i.delivery_id AND w.round = i.round AND w.round_attempts = i.round_attempt AND w.status = 'delivering'
          RETURNING w.id, w.subscription_id, w.attempts, w.round, i.outcome, i.started_at, i.webhook_timestamp, i.status_code,
                    i.latency_ms, i.error, i.retry_at
       ), logged AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, attempt, round, started_at, webhook_timestamp, status_code,
                                                latency_ms, outcome, error, retry_at)
         SELECT id, attempts, round, started_at, webhook_timestamp, status_code, latency_ms, outcome, error, retry_at FROM d
       ), reset AS (
         UPDATE webhook_subscriptions s SET consecutive_failures = 0, updated_at = now()
          WHERE s.id IN (SELECT subscription_id FROM d WHERE outcome = 'delivered') AND s.consecutive_failures <> 0
            AND NOT EXISTS (SELECT 1 FROM d f WHERE f.subscription_id = s.id AND f.outcome = 'failed')
       ), ${ASYNC_COMMIT}
       SELECT id, subscription_id FROM d CROSS JOIN async_commit`,
      [
        JSON.stringify(
          records.map((record) => ({
            delivery_id: record.deliveryId,
            round: record.round,
            round_attempt: record.roundAttempt,
            outcome: record.outcome,
            started_at: record.startedAt,
            webhook_timestamp: record.webhookTimestamp,
            status_code: record.statusCode,
            latency_ms: record.latencyMs,
            error: record.error,
            retry_at: record.retryAt,
          })),
        ),
      ],
    );
    return rows.map((row) => ({ id: row.id, subscriptionId: row.subscription_id }));
  }

  /** A message failed for good: the streak grows; at 410 or at `disableAfter` (0 = never) the subscription is disabled. */
  async recordFailure(
    subscriptionId: string,
    gone: boolean,
    disableAfter: number,
  ): Promise<SubscriptionFailure | null> {
    const disable = `$2::boolean OR ($3::int > 0 AND s.consecutive_failures + 1 >= $3::int)`;
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (
         UPDATE webhook_subscriptions s SET
           consecutive_failures = s.consecutive_failures + 1,
           enabled = s.enabled AND NOT (${disable}),
           disabled_reason = CASE WHEN s.enabled AND (${disable})
             THEN CASE WHEN $2::boolean THEN 'the receiver answered 410 Gone' ELSE ($3::int)::text || ' consecutive messages failed' END
             ELSE s.disabled_reason END,
           disabled_at = CASE WHEN s.enabled AND (${disable}) THEN now() ELSE s.disabled_at END,
           updated_at = now()
          WHERE s.id = $1
          RETURNING s.consecutive_failures, s.disabled_reason, (NOT s.enabled AND s.disabled_at = now()) AS just_disabled
       )
       SELECT * FROM changed`,
      [subscriptionId, gone, disableAfter],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      consecutiveFailures: Number(row.consecutive_failures),
      justDisabled: row.just_disabled === true,
      disabledReason: (row.disabled_reason as string | null) ?? null,
    };
  }

  /** A delivery whose subscription was disabled meanwhile: stop it without an attempt. */
  async cancelDelivery(id: string, round: number, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', last_error = $3, locked_until = NULL, locked_by = NULL,
         next_attempt_at = NULL, updated_at = now()
       WHERE id = $1 AND round = $2 AND status IN ('pending', 'delivering')`,
      [id, round, reason],
    );
  }

  // ---- the delivery log ----

  async findDelivery(id: string, scope: TenantScope): Promise<Delivery | null> {
    const rows = await this.db.query<Row[]>(`SELECT * FROM webhook_deliveries WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`, [
      id,
      tenantParam(scope),
    ]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async listDeliveries(
    filter: { subscriptionId?: string; jobId?: string; status?: DeliveryStatus },
    before: PageCursor | undefined,
    limit: number,
    scope: TenantScope,
  ): Promise<Delivery[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM webhook_deliveries
        WHERE ($1::uuid IS NULL OR subscription_id = $1::uuid)
          AND ($2::uuid IS NULL OR job_id = $2::uuid)
          AND ($3::text IS NULL OR status = $3::text)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
          AND ($7::text IS NULL OR tenant = $7)
        ORDER BY created_at DESC, id DESC LIMIT $6`,
      [
        filter.subscriptionId ?? null,
        filter.jobId ?? null,
        filter.status ?? null,
        before?.createdAt ?? null,
        before?.id ?? null,
        limit,
        tenantParam(scope),
      ],
    );
    return rows.map(toDelivery);
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<DeliveryAttempt[]> {
    if (deliveryIds.length === 0) return [];
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM webhook_delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, id`,
      [deliveryIds],
    );
    return rows.map(toAttempt);
  }
}

function toSubscription(row: Row): Subscription {
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

function toDelivery(row: Row): Delivery {
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

function toDeliveryToSend(row: Row): DeliveryToSend {
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

function toAttempt(row: Row): DeliveryAttempt {
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
