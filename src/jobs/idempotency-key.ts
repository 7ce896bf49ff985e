import { Problems } from '../common/problem/problem.exception.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** OpenAPI: the Idempotency-Key header's schema. */
export const IDEMPOTENCY_KEY_SCHEMA = { type: 'string' as const, pattern: KEY_PATTERN.source };

/** The Idempotency-Key header: printable ASCII, 1-255 characters. */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !KEY_PATTERN.test(value)) {
    throw Problems.validation([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
  }
  return value;
}
