import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TimeCursor } from '../common/pagination/cursor.js';
import { rowDate } from '../common/sql/row-values.js';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope.js';
import type { EmailSubscription } from './email.types.js';

type Row = Record<string, unknown>;

/** Tenants' email subscriptions: an address and the job events it receives. Every read is tenant-scoped. */
@Injectable()
export class EmailSubscriptionsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(input: { tenant: string; address: string; events: string[] }): Promise<EmailSubscription> {
    const rows = await this.db.query<Row[]>(
      `INSERT INTO email_subscriptions (id, tenant, address, events) VALUES ($1, $2, $3, $4::text[]) RETURNING *`,
      [randomUUID(), input.tenant, input.address, input.events],
    );
    return toSubscription(rows[0]);
  }

  async list(before: TimeCursor | undefined, limit: number, scope: TenantScope): Promise<EmailSubscription[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM email_subscriptions
        WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)) AND ($4::text IS NULL OR tenant = $4)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [before?.createdAt ?? null, before?.id ?? null, limit, tenantParam(scope)],
    );
    return rows.map(toSubscription);
  }

  async delete(id: string, scope: TenantScope): Promise<boolean> {
    const rows = await this.db.query<Row[]>(
      `WITH deleted AS (DELETE FROM email_subscriptions WHERE id = $1 AND ($2::text IS NULL OR tenant = $2) RETURNING id) SELECT id FROM deleted`,
      [id, tenantParam(scope)],
    );
    return rows.length > 0;
  }
}

function toSubscription(row: Row): EmailSubscription {
  return {
    id: row.id as string,
    tenant: row.tenant as string,
    address: row.address as string,
    events: row.events as string[],
    createdAt: rowDate(row.created_at),
  };
}
