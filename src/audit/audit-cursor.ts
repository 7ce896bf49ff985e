import { Problems } from '../common/problem/problem.exception.js';

const ID = /^[1-9][0-9]{0,18}$/;

/** Cursor of the audit trail (ordered by its id): opaque to clients, strict on the way back. */
export function encodeAuditCursor(id: string): string {
  return Buffer.from(`a${id}`).toString('base64url');
}

export function decodeAuditCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = text.slice(1);
  if (!text.startsWith('a') || !ID.test(id) || encodeAuditCursor(id) !== cursor) {
    throw Problems.validation([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return id;
}
