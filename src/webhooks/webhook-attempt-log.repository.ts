import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope.js';
import { ASYNC_COMMIT, toAttempt, toDelivery, type Row } from './webhook-rows.js';
import type { AttemptOutcome, Delivery, DeliveryAttempt, DeliveryStatus, PageCursor } from './webhook.types.js';

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
  /** With outcome 'retry': the wait before the next attempt; the database adds it to its own clock. */
  retryDelayMs: number | null;
}

/** The delivery log: outcomes of attempts written (with the delivery moved on), and read back per tenant. */
@Injectable()
export class WebhookAttemptLogRepository {
  constructor(private readonly db: DataSource) {}

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
         SELECT t.*, CASE WHEN t.retry_delay_ms IS NULL THEN NULL ELSE now() + make_interval(secs => t.retry_delay_ms / 1000) END AS retry_at
           FROM json_to_recordset($1::json) AS t(delivery_id uuid, round int, round_attempt int, outcome text,
             started_at timestamptz, webhook_timestamp bigint, status_code int, latency_ms int, error text, retry_delay_ms float8)
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
            retry_delay_ms: record.retryDelayMs,
          })),
        ),
      ],
    );
    return rows.map((row) => ({ id: row.id, subscriptionId: row.subscription_id }));
  }

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
