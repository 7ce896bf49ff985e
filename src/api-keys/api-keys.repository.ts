import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiRole } from '../auth/api-keys.js';

export interface ManagedKey {
  id: string;
  label: string;
  role: ApiRole;
  tenant: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

type KeyRow = { id: string; label: string; role: ApiRole; tenant: string; created_by: string; created_at: Date; last_used_at: Date | null };

const toKey = (row: KeyRow): ManagedKey => ({
  id: row.id,
  label: row.label,
  role: row.role,
  tenant: row.tenant,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** The api_keys table: a key's secret is never stored, only its SHA-256 digest. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  /** null when the label is taken. */
  async insert(key: Omit<ManagedKey, 'createdAt' | 'lastUsedAt'>, digest: Buffer): Promise<ManagedKey | null> {
    const rows = await this.db.query<KeyRow[]>(
      `INSERT INTO api_keys (id, label, role, tenant, digest, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING *`,
      [key.id, key.label, key.role, key.tenant, digest, key.createdBy],
    );
    return rows[0] ? toKey(rows[0]) : null;
  }

  async list(limit: number): Promise<ManagedKey[]> {
    const rows = await this.db.query<KeyRow[]>(`SELECT * FROM api_keys ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(toKey);
  }

  async findByDigest(digest: Buffer): Promise<ManagedKey | null> {
    const rows = await this.db.query<KeyRow[]>(`SELECT * FROM api_keys WHERE digest = $1`, [digest]);
    return rows[0] ? toKey(rows[0]) : null;
  }

  async delete(id: string): Promise<ManagedKey | null> {
    const rows = await this.db.query<[KeyRow[], number]>(`DELETE FROM api_keys WHERE id = $1 RETURNING *`, [id]);
    const deleted = rows[0][0];
    return deleted ? toKey(deleted) : null;
  }

  /** At most one write per key and minute, whatever the traffic. */
  async touch(id: string): Promise<void> {
    await this.db.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
