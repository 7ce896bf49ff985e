import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobStatus } from '../jobs/domain/job-status.js';

/** Jobs not finished yet: what the autoscaling gauges count (finished ones are counted by transitions). */
export const UNFINISHED_STATUSES = [JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED] as const;

export interface BacklogCount {
  status: JobStatus;
  type: string;
  count: number;
}

/**
 * Read-only aggregates over the jobs table for the autoscaling gauges. Each query stays on rows of
 * unfinished statuses, which the partial indexes of those statuses keep small to reach.
 */
@Injectable()
export class BacklogRepository {
  constructor(private readonly db: DataSource) {}

  async countsByStatusAndType(): Promise<BacklogCount[]> {
    const rows = await this.db.query<Array<{ status: JobStatus; type: string; count: number }>>(
      `SELECT status, type, count(*)::int AS count FROM jobs WHERE status = ANY($1) GROUP BY status, type`,
      [UNFINISHED_STATUSES],
    );
    return rows;
  }

  /** Seconds since the longest-waiting QUEUED job was queued, by the database clock; 0 when none waits. */
  async oldestQueuedAgeSeconds(): Promise<number> {
    const [row] = await this.db.query<Array<{ age: number }>>(
      `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(queued_at)), 0)::float8 AS age FROM jobs WHERE status = 'QUEUED'`,
    );
    return Math.max(0, row?.age ?? 0);
  }
}
