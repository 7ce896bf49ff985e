import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntryInput } from '../common/audit/audit-recorder.port.js';
import type { AuditEntry, AuditFilter } from './audit-entry.js';

type AuditRow = {
  id: string;
  at: Date;
  actor: string;
  actor_role: string;
  tenant: string;
  action: string;
  target: string | null;
  remote_address: string | null;
  request_id: string | null;
  details: Record<string, unknown> | null;
};

const toEntry = (row: AuditRow): AuditEntry => ({
  id: String(row.id),
  at: row.at,
  actor: row.actor,
  actorRole: row.actor_role,
  tenant: row.tenant,
  action: row.action,
  target: row.target,
  remoteAddress: row.remote_address,
  requestId: row.request_id,
  details: row.details,
});

/** The audit_log table: insert and read only (the table's trigger refuses anything else but the retention pass). */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly db: DataSource) {}

  async append(entry: AuditEntryInput): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (actor, actor_role, tenant, action, target, remote_address, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [entry.actor, entry.actorRole, entry.tenant, entry.action, entry.target, entry.remoteAddress, entry.requestId, entry.details],
    );
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (filter.action) add((n) => `action = $${n}`, filter.action);
    if (filter.actor) add((n) => `actor = $${n}`, filter.actor);
    if (filter.tenant !== null) add((n) => `tenant = $${n}`, filter.tenant);
    if (filter.from) add((n) => `at >= $${n}`, filter.from);
    if (filter.to) add((n) => `at < $${n}`, filter.to);
    if (filter.beforeId) add((n) => `id < $${n}::bigint`, filter.beforeId);
    params.push(filter.limit);
    const rows = await this.db.query<AuditRow[]>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** The retention pass: the only delete the table's trigger lets through. */
  async deleteOlderThan(days: number, limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL longhaul.audit_retention = 'on'`);
      const rows = await tx.query<Array<{ n: number }>>(
        `WITH old AS (SELECT id FROM audit_log WHERE at < now() - make_interval(days => $1::int) ORDER BY at LIMIT $2),
              gone AS (DELETE FROM audit_log WHERE id IN (SELECT id FROM old) RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [days, limit],
      );
      return rows[0]?.n ?? 0;
    });
  }
}
