import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Job } from '../jobs/job.js';
import { toJob, type JobRow } from '../jobs/job-row.mapper.js';
import type { HistoryRow } from './attempt-history.js';
import { deadLetterWhere, type DeadLetterFilter } from './dead-letter-filter.js';

type TransitionRow = {
  job_id: string;
  from_status: string | null;
  to_status: string;
  attempt: number;
  reason: string | null;
  at: Date;
  diagnostics: HistoryRow['diagnostics'];
};

/** Reads dead jobs by the operator's filters, their attempt history, and purges them. */
@Injectable()
export class DeadLettersRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first (created_at, id), after the keyset `before`. */
  async list(filter: DeadLetterFilter, before: { createdAt: Date; id: string } | undefined, limit: number): Promise<Job[]> {
    const params: unknown[] = [];
    let where = deadLetterWhere(filter, params);
    if (before) {
      params.push(before.createdAt, before.id);
      where += ` AND (j.created_at, j.id) < ($${params.length - 1}, $${params.length})`;
    }
    params.push(limit);
    const rows = await this.db.query<JobRow[]>(`SELECT j.* FROM jobs j WHERE ${where} ORDER BY j.created_at DESC, j.id DESC LIMIT $${params.length}`, params);
    return rows.map(toJob);
  }

  async count(filter: DeadLetterFilter): Promise<number> {
    const params: unknown[] = [];
    const rows = await this.db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM jobs j WHERE ${deadLetterWhere(filter, params)}`, params);
    return rows[0]?.n ?? 0;
  }

  /** The dead jobs among `ids` that are themselves replays (they died again). */
  async parkedAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.query<Array<{ id: string }>>(`SELECT new_job_id AS id FROM job_replays WHERE new_job_id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((row) => row.id));
  }

  async histories(ids: readonly string[]): Promise<Map<string, HistoryRow[]>> {
    const byJob = new Map<string, HistoryRow[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byJob;
    const rows = await this.db.query<TransitionRow[]>(
      `SELECT job_id, from_status, to_status, attempt, reason, at, diagnostics FROM job_transitions WHERE job_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    for (const row of rows) {
      byJob.get(row.job_id)?.push({ from: row.from_status, to: row.to_status, attempt: row.attempt, reason: row.reason, at: row.at, diagnostics: row.diagnostics });
    }
    return byJob;
  }

  /** Deletes a dead job with its history and replay links; false when no dead job of the scope has this id. */
  async purge(id: string, tenant: string | null): Promise<boolean> {
    const rows = await this.db.query<Array<{ n: number }>>(
      `WITH gone AS (DELETE FROM jobs WHERE id = $1 AND status = 'DEAD' AND ($2::text IS NULL OR tenant = $2) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [id, tenant],
    );
    return (rows[0]?.n ?? 0) > 0;
  }
}
