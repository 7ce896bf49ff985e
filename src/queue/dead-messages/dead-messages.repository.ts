import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { decodeTimeCursor, encodeTimeCursor, pageOf } from '../../common/pagination/cursor.js';
import { rowDate, rowDateOrNull } from '../../common/sql/row-values.js';

/** What is kept of a message's value: enough to correct and replay any job request. */
export const DEAD_MESSAGE_VALUE_MAX_BYTES = 1024 * 1024;

export interface DeadMessageRecord {
  origin: { topic: string; partition: number; offset: string };
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  code: string;
  reason: string;
  /** The tenant its header named, when that was a valid tenant name. */
  tenant: string | null;
}

export interface DeadMessage extends DeadMessageRecord {
  id: string;
  valueTruncated: boolean;
  failedAt: Date;
  replayedAt: Date | null;
  replayJobId: string | null;
  replayedBy: string | null;
}

export interface DeadMessageFilter {
  code?: string;
  tenant?: string;
  from?: Date;
  to?: Date;
  replayed?: boolean;
}

type Row = Record<string, unknown>;

function toDeadMessage(row: Row): DeadMessage {
  return {
    id: row.id as string,
    origin: { topic: row.topic as string, partition: row.partition as number, offset: String(row.offset) },
    key: (row.message_key as Buffer | null) ?? null,
    value: (row.value as Buffer | null) ?? null,
    valueTruncated: row.value_truncated === true,
    headers: (row.headers as Record<string, string> | null) ?? {},
    code: row.code as string,
    reason: row.reason as string,
    tenant: (row.tenant as string | null) ?? null,
    failedAt: rowDate(row.failed_at),
    replayedAt: rowDateOrNull(row.replayed_at),
    replayJobId: (row.replay_job_id as string | null) ?? null,
    replayedBy: (row.replayed_by as string | null) ?? null,
  };
}

/** The findable side of the dead letter topic: one row per dead-lettered message, replayed at most once. */
@Injectable()
export class DeadMessagesRepository {
  constructor(private readonly db: DataSource) {}

  /** Idempotent per origin: a message dead-lettered again after a redelivery keeps its first row. */
  async record(message: DeadMessageRecord): Promise<void> {
    const value = message.value && message.value.length > DEAD_MESSAGE_VALUE_MAX_BYTES ? message.value.subarray(0, DEAD_MESSAGE_VALUE_MAX_BYTES) : message.value;
    await this.db.query(
      `INSERT INTO dead_messages (id, topic, partition, "offset", message_key, value, value_truncated, headers, code, reason, tenant)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (topic, partition, "offset") DO NOTHING`,
      [
        randomUUID(),
        message.origin.topic,
        message.origin.partition,
        message.origin.offset,
        message.key,
        value,
        value !== message.value,
        JSON.stringify(message.headers),
        message.code,
        message.reason,
        message.tenant,
      ],
    );
  }

  async list(filter: DeadMessageFilter, page: { cursor?: string; limit?: number }): Promise<{ items: DeadMessage[]; nextCursor: string | null }> {
    const limit = page.limit ?? 50;
    const after = page.cursor ? decodeTimeCursor(page.cursor) : null;
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM dead_messages
        WHERE ($1::text IS NULL OR code = $1) AND ($2::text IS NULL OR tenant = $2)
          AND ($3::timestamptz IS NULL OR failed_at >= $3) AND ($4::timestamptz IS NULL OR failed_at < $4)
          AND ($5::boolean IS NULL OR (replayed_at IS NOT NULL) = $5)
          AND ($6::timestamptz IS NULL OR (failed_at, id) < ($6, $7::uuid))
        ORDER BY failed_at DESC, id DESC LIMIT $8`,
      [filter.code ?? null, filter.tenant ?? null, filter.from ?? null, filter.to ?? null, filter.replayed ?? null, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    return pageOf(rows.map(toDeadMessage), limit, (last) => encodeTimeCursor({ createdAt: last.failedAt, id: last.id }));
  }

  async get(id: string): Promise<DeadMessage | null> {
    const rows = await this.db.query<Row[]>(`SELECT * FROM dead_messages WHERE id = $1`, [id]);
    return rows[0] ? toDeadMessage(rows[0]) : null;
  }

  /** Marks the message replayed by this job; false when another replay got there first. */
  async markReplayed(id: string, jobId: string, by: string): Promise<boolean> {
    const rows = await this.db.query<Row[]>(
      `WITH marked AS (
         UPDATE dead_messages SET replayed_at = now(), replay_job_id = $2, replayed_by = $3
          WHERE id = $1 AND replayed_at IS NULL RETURNING id
       ) SELECT id FROM marked`,
      [id, jobId, by],
    );
    return rows.length > 0;
  }

  /** Forgets records older than `days`, at most `limit` of them; returns how many. */
  async deleteOlderThan(days: number, limit: number): Promise<number> {
    const rows = await this.db.query<Array<{ n: number }>>(
      `WITH old AS (SELECT id FROM dead_messages WHERE failed_at < now() - make_interval(days => $1::int) ORDER BY failed_at LIMIT $2),
            gone AS (DELETE FROM dead_messages WHERE id IN (SELECT id FROM old) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [days, limit],
    );
    return rows[0]?.n ?? 0;
  }

  async delete(id: string): Promise<DeadMessage | null> {
    const rows = await this.db.query<Row[]>(`WITH gone AS (DELETE FROM dead_messages WHERE id = $1 RETURNING *) SELECT * FROM gone`, [id]);
    return rows[0] ? toDeadMessage(rows[0]) : null;
  }
}
