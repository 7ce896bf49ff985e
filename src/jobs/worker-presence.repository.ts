import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Each worker node records itself this often: its id and the job types it has handlers for. */
export const WORKER_PRESENCE_INTERVAL_MS = 10_000;
/** A worker not seen for this long is gone (three missed records plus slack). */
export const WORKER_ALIVE_MS = 3 * WORKER_PRESENCE_INTERVAL_MS + 5000;

/** The `job_workers` registry: which live node can run which job type (by the database's clock). */
@Injectable()
export class WorkerPresenceRepository {
  constructor(private readonly db: DataSource) {}

  async record(workerId: string, types: readonly string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO job_workers (id, job_types) VALUES ($1, $2::text[])
       ON CONFLICT (id) DO UPDATE SET job_types = excluded.job_types, last_seen_at = now()`,
      [workerId, types],
    );
  }

  async remove(workerId: string): Promise<void> {
    await this.db.query(`DELETE FROM job_workers WHERE id = $1`, [workerId]);
  }

  /** Whether a live worker has a handler for `type` (a job of it can run somewhere). */
  async someoneRuns(type: string): Promise<boolean> {
    const rows = await this.db.query<Array<{ yes: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM job_workers WHERE $1 = ANY(job_types)
                        AND last_seen_at > now() - make_interval(secs => $2::float8 / 1000)) AS yes`,
      [type, WORKER_ALIVE_MS],
    );
    return rows[0]?.yes === true;
  }

  /** Forgets workers gone for longer than `olderThanMs` (retention). */
  async forgetGone(olderThanMs: number): Promise<number> {
    const rows = await this.db.query<Array<{ n: number }>>(
      `WITH gone AS (DELETE FROM job_workers WHERE last_seen_at < now() - make_interval(secs => $1::float8 / 1000) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [olderThanMs],
    );
    return rows[0]?.n ?? 0;
  }
}
