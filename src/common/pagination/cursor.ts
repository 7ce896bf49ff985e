import { Problems } from '../problem/problem.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,300}$/;

export interface TimeCursor {
  createdAt: Date;
  id: string;
}

const invalid = () => Problems.validation([{ field: 'cursor', message: 'cursor is not one this API returned' }]);

/** Keyset cursor of the lists ordered by (created_at, id): opaque to clients, strict on the way back. */
export function encodeTimeCursor(item: TimeCursor): string {
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`).toString('base64url');
}

/** Accepts exactly what encodeTimeCursor makes (it must encode back to the same text); anything else is a 400. */
export function decodeTimeCursor(cursor: string): TimeCursor {
  if (!BASE64URL.test(cursor)) throw invalid();
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(createdAt ?? '');
  if (rest.length > 0 || !id || !UUID.test(id) || Number.isNaN(date.getTime())) throw invalid();
  const decoded = { createdAt: date, id };
  if (encodeTimeCursor(decoded) !== cursor) throw invalid();
  return decoded;
}

/** Cursor of lists ordered by (name, id) (schedules). */
export function encodeNameCursor(item: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([item.name, item.id])).toString('base64url');
}

export function decodeNameCursor(cursor: string): { name: string; id: string } {
  if (!BASE64URL.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid();
  const [name, id] = decoded as unknown[];
  if (typeof name !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalid();
  if (encodeNameCursor({ name, id }) !== cursor) throw invalid();
  return { name, id };
}

/** A page from `limit + 1` rows (the extra one only says another page exists); the cursor names the last item shown. */
export function pageOf<T>(rows: readonly T[], limit: number, cursorOf: (last: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** pageOf for the lists ordered by (created_at, id). */
export function timePage<T extends TimeCursor>(rows: readonly T[], limit: number): { items: T[]; nextCursor: string | null } {
  return pageOf(rows, limit, encodeTimeCursor);
}
