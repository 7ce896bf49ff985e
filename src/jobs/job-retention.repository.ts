import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ResultRef } from '../results/result-ref.js';

export interface JobWithResult {
  id: string;
  resultRef: ResultRef | null;
}

const TERMINAL = `('COMPLETED', 'DEAD', 'CANCELLED', 'EXPIRED')`;

/** The statements of job retention: expired results, finished jobs (history and results go with them). */
@Injectable()
export class JobRetentionRepository {
  constructor(private readonly db: DataSource) {}

  /** Jobs whose result expired (RESULT_TTL_SECONDS), oldest first. */
  async expiredResults(limit: number): Promise<JobWithResult[]> {
    const rows = await this.db.query<Array<{ id: string; result_ref: ResultRef | null }>>(
      `SELECT id, result_ref FROM jobs WHERE result_ref IS NOT NULL AND result_expires_at <= now()
       ORDER BY result_expires_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ id: row.id, resultRef: row.result_ref }));
  }

  /** The job keeps its expiry time (shown on the job; /result answers 410) but no longer points at a result. */
  async forgetResults(ids: readonly string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM job_results WHERE job_id = ANY($1::uuid[])`, [ids]);
      await tx.query(`UPDATE jobs SET result_ref = NULL WHERE id = ANY($1::uuid[])`, [ids]);
    });
  }

  /** Finished jobs older than `retentionSeconds`, oldest first. */
  async finishedBefore(retentionSeconds: number, limit: number): Promise<JobWithResult[]> {
    const rows = await this.db.query<Array<{ id: string; result_ref: ResultRef | null }>>(
      `SELECT id, result_ref FROM jobs
       WHERE finished_at < now() - make_interval(secs => $1::float8) AND status IN ${TERMINAL}
       ORDER BY finished_at LIMIT $2`,
      [retentionSeconds, limit],
    );
    return rows.map((row) => ({ id: row.id, resultRef: row.result_ref }));
  }

  /** Deletes jobs; their transitions, stored results and replay links go with them (ON DELETE CASCADE). */
  async deleteJobs(ids: readonly string[]): Promise<void> {
    await this.db.query(`DELETE FROM jobs WHERE id = ANY($1::uuid[]) AND status IN ${TERMINAL}`, [ids]);
  }
}
