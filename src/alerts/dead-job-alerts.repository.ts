import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertTransaction } from './queue-alert-sink.port.js';

/** One row per job type and alert window: the primary key lets exactly one node raise each alert. */
@Injectable()
export class DeadJobAlertsRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (tx: AlertTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(manager));
  }

  /**
   * Counts the type's dead jobs in the current window (aligned on the database clock) and, at or past
   * the threshold, claims the window's alert; answers the count when this call claimed it, else null.
   */
  async claimAlert(type: string, windowMinutes: number, threshold: number, tx: AlertTransaction): Promise<{ windowStart: Date; deadCount: number } | null> {
    const rows = await tx.query<Array<{ window_start: Date; dead_count: number }>>(
      `WITH w AS (SELECT date_bin(make_interval(mins => $2::int), now(), timestamptz '2000-01-01 00:00:00+00') AS start),
            c AS (SELECT count(*)::int AS n FROM jobs, w WHERE jobs.type = $1 AND jobs.status = 'DEAD' AND jobs.finished_at >= w.start)
       INSERT INTO dead_job_alerts (job_type, window_start, dead_count)
       SELECT $1, w.start, c.n FROM w, c WHERE c.n >= $3
       ON CONFLICT DO NOTHING
       RETURNING window_start, dead_count`,
      [type, windowMinutes, threshold],
    );
    const row = rows[0];
    return row ? { windowStart: row.window_start, deadCount: row.dead_count } : null;
  }
}
