import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TimeCursor } from '../common/pagination/cursor.js';
import { rowDate, rowDateOrNull } from '../common/sql/row-values.js';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope.js';

export interface EmailDeliveryEntry {
  id: string;
  tenant: string;
  jobId: string | null;
  event: string;
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

type Row = Record<string, unknown>;

const toEntry = (row: Row): EmailDeliveryEntry => ({
  id: row.id as string,
  tenant: row.tenant as string,
  jobId: (row.job_id as string | null) ?? null,
  event: row.event_type as string,
  recipient: row.recipient as string,
  subject: row.subject as string,
  status: row.status as string,
  attempts: row.attempts as number,
  lastError: (row.last_error as string | null) ?? null,
  createdAt: rowDate(row.created_at),
  nextAttemptAt: rowDateOrNull(row.next_attempt_at),
  deliveredAt: rowDateOrNull(row.delivered_at),
});

/** What happened to each email: read side of email_deliveries, tenant-scoped, newest first. */
@Injectable()
export class EmailDeliveryLogRepository {
  constructor(private readonly db: DataSource) {}

  async list(filter: { jobId?: string; status?: string }, before: TimeCursor | undefined, limit: number, scope: TenantScope): Promise<EmailDeliveryEntry[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT id, tenant, job_id, event_type, recipient, subject, status, attempts, last_error, created_at, next_attempt_at, delivered_at
         FROM email_deliveries
        WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)) AND ($4::text IS NULL OR tenant = $4)
          AND ($5::uuid IS NULL OR job_id = $5) AND ($6::text IS NULL OR status = $6)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [before?.createdAt ?? null, before?.id ?? null, limit, tenantParam(scope), filter.jobId ?? null, filter.status ?? null],
    );
    return rows.map(toEntry);
  }
}
