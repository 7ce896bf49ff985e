import { validateObject } from '../../common/validation/validate-object.js';
import { JobMessage } from './job-message.js';

export type ParsedJobMessage = { ok: true; message: JobMessage } | { ok: false; code: 'NOT_JSON' | 'INVALID_MESSAGE'; reason: string };

/** Decodes and validates one message value against the Kafka message contract. */
export async function parseJobMessage(value: Buffer | null): Promise<ParsedJobMessage> {
  if (value === null || value.length === 0) return { ok: false, code: 'INVALID_MESSAGE', reason: 'empty message value' };
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'NOT_JSON', reason: `value is not JSON: ${(error as Error).message}` };
  }
  const outcome = await validateObject(JobMessage, data);
  if (!outcome.ok) {
    return { ok: false, code: 'INVALID_MESSAGE', reason: outcome.errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
  }
  return { ok: true, message: outcome.value };
}
