import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../../common/sql/prepared-statement.js';
import type { Transaction } from '../job-queue.port.js';

export interface OutboxRecord {
  id: string;
  topic: string;
  key: string | null;
  value: unknown;
  headers: Record<string, string>;
}

export type NewOutboxRecord = Omit<OutboxRecord, 'id'>;

export const OUTBOX_CHANNEL = 'longhaul_outbox';

type OutboxRow = { id: string; topic: string; message_key: string | null; value: unknown; headers: Record<string, string> };

// What every submission and every relay pass runs: prepared.
const APPEND = new PreparedStatement<never>(
  'outbox.append',
  `INSERT INTO job_outbox (topic, message_key, value, headers)
   SELECT r.topic, r.key, r.value, r.headers
   FROM jsonb_to_recordset($1::jsonb) AS r(topic text, key text, value jsonb, headers jsonb)`,
);
const CLAIM_UNSENT = new PreparedStatement<OutboxRow>(
  'outbox.claimUnsent',
  `SELECT id, topic, message_key, value, headers FROM job_outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
);
const MARK_SENT = new PreparedStatement<never>('outbox.markSent', `UPDATE job_outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`);

/** Every outbox statement: writes join the caller's transaction; the relay claims with SKIP LOCKED. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: DataSource) {}

  /** Appends records in the caller's transaction (the caller wakes the relays once it commits). */
  async append(tx: Transaction, records: readonly NewOutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    await APPEND.rows(tx, [JSON.stringify(records)]);
  }

  /**
   * Claims unsent records, lets `publish` send them, and marks them sent, all in one transaction:
   * if publishing throws, the records stay unsent for the next pass.
   */
  async publishBatch(limit: number, publish: (records: OutboxRecord[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await CLAIM_UNSENT.rows(tx, [limit]);
      if (rows.length === 0) return 0;
      await publish(rows.map((row) => ({ id: row.id, topic: row.topic, key: row.message_key, value: row.value, headers: row.headers })));
      await MARK_SENT.rows(tx, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  async purgeSentOlderThan(ageMs: number): Promise<number> {
    const rows = await this.db.query<Array<{ n: number }>>(
      `WITH gone AS (DELETE FROM job_outbox WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $1::float8 / 1000) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [ageMs],
    );
    return rows[0]?.n ?? 0;
  }

  async unsentCount(): Promise<number> {
    const rows = await this.db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM job_outbox WHERE sent_at IS NULL`);
    return rows[0]?.n ?? 0;
  }
}
