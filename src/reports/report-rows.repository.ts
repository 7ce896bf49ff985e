import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobActivityRow } from './domain/activity-report.js';
import { CROSS_TENANT } from '../common/tenant.js';

export interface RowCursor {
  createdAt: Date;
  id: string;
}

/** Reads the jobs table for the activity report, one keyset page at a time. */
@Injectable()
export class ReportRowsRepository {
  constructor(private readonly db: DataSource) {}

  /** The tenant a report job covers: its own, or every tenant (null) for a cross-tenant job. */
  async scopeOfReport(jobId: string): Promise<string | null> {
    const rows = await this.db.query<Array<{ tenant: string }>>(`SELECT tenant FROM jobs WHERE id = $1`, [jobId]);
    const tenant = rows[0]?.tenant;
    if (tenant === undefined) throw new Error(`report job ${jobId} not found`);
    return tenant === CROSS_TENANT ? null : tenant;
  }

  async count(from: Date, to: Date, tenant: string | null): Promise<number> {
    const rows = await this.db.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM jobs WHERE created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR tenant = $3)`,
      [from, to, tenant],
    );
    return rows[0]?.n ?? 0;
  }

  async page(from: Date, to: Date, tenant: string | null, after: RowCursor | null, limit: number): Promise<JobActivityRow[]> {
    const rows = await this.db.query<Array<Record<string, unknown>>>(
      `SELECT id, type, status, created_at, started_at, finished_at, attempts FROM jobs
       WHERE created_at >= $1 AND created_at < $2 AND ($3::timestamptz IS NULL OR (created_at, id) > ($3, $4::uuid))
         AND ($6::text IS NULL OR tenant = $6)
       ORDER BY created_at, id LIMIT $5`,
      [from, to, after?.createdAt ?? null, after?.id ?? null, limit, tenant],
    );
    return rows.map((row) => ({
      id: row.id as string,
      type: row.type as string,
      status: row.status as string,
      createdAt: row.created_at as Date,
      startedAt: (row.started_at as Date | null) ?? null,
      finishedAt: (row.finished_at as Date | null) ?? null,
      attempts: row.attempts as number,
    }));
  }
}
