import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Unfinished jobs per tenant: one index-only scan of jobs_tenant_backlog_idx. */
@Injectable()
export class TenantBacklogRepository {
  constructor(private readonly db: DataSource) {}

  async unfinishedByTenant(): Promise<Map<string, number>> {
    const rows = await this.db.query<Array<{ tenant: string; n: number }>>(
      `SELECT tenant, count(*)::int AS n FROM jobs WHERE status IN ('PENDING', 'QUEUED', 'RUNNING', 'FAILED') GROUP BY tenant`,
    );
    return new Map(rows.map((row) => [row.tenant, row.n]));
  }
}
