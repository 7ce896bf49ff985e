import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EmailAttemptOutcome } from '../email.types.js';

export interface EmailAttemptRecord {
  deliveryId: string;
  round: number;
  roundAttempt: number;
  outcome: EmailAttemptOutcome;
  startedAt: Date;
  latencyMs: number;
  smtpCode: number | null;
  error: string | null;
  /** With outcome 'retry': the wait before the next attempt; the database adds it to its own clock. */
  retryDelayMs: number | null;
}

/** The email attempt log: each outcome joins the log and moves its delivery on, in one statement for many. */
@Injectable()
export class EmailAttemptLogRepository {
  constructor(private readonly db: DataSource) {}

  /** Guarded by (round, round_attempts, status) so a stale worker cannot overwrite a newer attempt; returns the ids written. */
  async recordAttempts(records: readonly EmailAttemptRecord[]): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `WITH input AS (
         SELECT t.*, CASE WHEN t.retry_delay_ms IS NULL THEN NULL ELSE now() + make_interval(secs => t.retry_delay_ms / 1000) END AS retry_at
           FROM json_to_recordset($1::json) AS t(delivery_id uuid, round int, round_attempt int, outcome text, started_at timestamptz,
             latency_ms int, smtp_code int, error text, retry_delay_ms float8)
       ), d AS (
         UPDATE email_deliveries e SET
           status = CASE WHEN i.outcome = 'retry' THEN 'pending' ELSE i.outcome END,
           next_attempt_at = i.retry_at, locked_until = NULL, locked_by = NULL, last_error = i.error, updated_at = now(),
           delivered_at = CASE WHEN i.outcome = 'delivered' THEN now() ELSE e.delivered_at END
           FROM input i
          WHERE e.id = i.delivery_id AND e.round = i.round AND e.round_attempts = i.round_attempt AND e.status = 'delivering'
          RETURNING e.id, e.attempts, e.round, i.outcome, i.started_at, i.latency_ms, i.smtp_code, i.error, i.retry_at
       ), logged AS (
         INSERT INTO email_delivery_attempts (delivery_id, attempt, round, started_at, latency_ms, smtp_code, outcome, error, retry_at)
         SELECT id, attempts, round, started_at, latency_ms, smtp_code, outcome, error, retry_at FROM d
       ), async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)
       SELECT id FROM d CROSS JOIN async_commit`,
      [
        JSON.stringify(
          records.map((record) => ({
            delivery_id: record.deliveryId,
            round: record.round,
            round_attempt: record.roundAttempt,
            outcome: record.outcome,
            started_at: record.startedAt,
            latency_ms: record.latencyMs,
            smtp_code: record.smtpCode,
            error: record.error,
            retry_delay_ms: record.retryDelayMs,
          })),
        ),
      ],
    );
    return rows.map((row) => row.id);
  }
}
