import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryRows, QueuedDelivery, StartRequest } from '../../notifications/delivery/delivery-queue.port.js';
import { ASYNC_COMMIT, TO_SEND_COLUMNS, toDelivery, toDeliveryToSend, type Row } from '../webhook-rows.js';
import type { Delivery, DeliveryToSend, Subscription } from '../webhook.types.js';

/** NOTIFY channel: new or redelivered rows in webhook_deliveries (embedded profile). */
export const WEBHOOK_DELIVERIES_CHANNEL = 'longhaul_webhooks';
export const CALLBACK_ENDPOINT = 'callback';

/**
 * webhook_deliveries as a queue: rows enqueued, claimed (table adapter) or started (Bull adapter),
 * released, cancelled. Every time is the database's clock (`now()`), never the node's.
 */
@Injectable()
export class WebhookDeliveryQueueRepository implements DeliveryRows<DeliveryToSend> {
  constructor(private readonly db: DataSource) {}

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

  /**
   * One delivery to a configured URL outside any subscription (signed like a job's callbackUrl), in the
   * caller's transaction; idempotent per message id. Answers the row when it is new.
   */
  async enqueueCallback(
    tx: Pick<DataSource, 'query'>,
    delivery: { messageId: string; url: string; eventType: string; body: string; tenant: string },
  ): Promise<QueuedDelivery[]> {
    return tx.query<QueuedDelivery[]>(
      `INSERT INTO webhook_deliveries (id, message_id, endpoint_key, subscription_id, url, event_type, job_id, body, status, next_attempt_at, tenant)
       VALUES (gen_random_uuid(), $1, '${CALLBACK_ENDPOINT}', NULL, $2, $3, NULL, $4, 'pending', now(), $5)
       ON CONFLICT (message_id, endpoint_key) DO NOTHING
       RETURNING id, round`,
      [delivery.messageId, delivery.url, delivery.eventType, delivery.body, delivery.tenant],
    );
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

  /** When the table queue should look again (the next due retry or lease to expire), measured by the database's clock. */
  async nextDueInMs(): Promise<number | null> {
    const rows = await this.db.query<Array<{ ms: number | null }>>(
      `WITH next AS (
         SELECT least((SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'),
                      (SELECT min(locked_until) FROM webhook_deliveries WHERE status = 'delivering')) AS at
       )
       SELECT CASE WHEN at IS NULL THEN NULL ELSE greatest(0, extract(epoch FROM at - clock_timestamp()) * 1000)::float8 END AS ms FROM next`,
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? null : Number(ms);
  }

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
  async findNotHandedOff(olderThanMs: number, limit: number): Promise<QueuedDelivery[]> {
    return await this.db.query<QueuedDelivery[]>(
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
  async findStuckHandedOff(staleMs: number, limit: number): Promise<QueuedDelivery[]> {
    return await this.db.query<QueuedDelivery[]>(
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

  /** A delivery whose subscription was disabled meanwhile: stop it without an attempt. */
  async cancelDelivery(id: string, round: number, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', last_error = $3, locked_until = NULL, locked_by = NULL,
         next_attempt_at = NULL, updated_at = now()
       WHERE id = $1 AND round = $2 AND status IN ('pending', 'delivering')`,
      [id, round, reason],
    );
  }
}
