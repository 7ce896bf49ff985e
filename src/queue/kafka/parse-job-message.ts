import { findUnstorableText } from '../../common/validation/unstorable-text.js';
import { validateObject } from '../../common/validation/validate-object.js';
import { JobMessage } from './job-message.js';

export type PoisonCode = 'NOT_UTF8' | 'NOT_JSON' | 'INVALID_MESSAGE' | 'UNSTORABLE_TEXT';
export type ParsedJobMessage = { ok: true; message: JobMessage } | { ok: false; code: PoisonCode; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes and validates one message value against the Kafka message contract. */
export async function parseJobMessage(value: Buffer | null): Promise<ParsedJobMessage> {
  if (value === null || value.length === 0) return { ok: false, code: 'INVALID_MESSAGE', reason: 'empty message value' };
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return { ok: false, code: 'NOT_UTF8', reason: 'value is not valid UTF-8' };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'NOT_JSON', reason: `value is not JSON: ${(error as Error).message}` };
  }
  const unstorable = findUnstorableText(data);
  if (unstorable) return { ok: false, code: 'UNSTORABLE_TEXT', reason: `${unstorable.field}: ${unstorable.reason}` };
  const outcome = await validateObject(JobMessage, data);
  if (!outcome.ok) {
    return { ok: false, code: 'INVALID_MESSAGE', reason: outcome.errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
  }
  return { ok: true, message: outcome.value };
}
