import { MAX_QUEUE_TTL_SECONDS, MAX_RUN_TIMEOUT_SECONDS, type TimeLimits } from '../jobs/domain/time-limits.js';
import { JOB_TYPE_PATTERN } from '../jobs/dto/submit-job.dto.js';
import type { EnvReader } from './env-readers.js';

const FIELDS = { timeoutSeconds: MAX_RUN_TIMEOUT_SECONDS, queueTtlSeconds: MAX_QUEUE_TTL_SECONDS } as const;

/**
 * JOB_TYPE_LIMITS: per job type, the run timeout and queue-wait TTL of jobs that ask for none, as JSON,
 * e.g. `{"video.transcode": {"timeoutSeconds": 3600, "queueTtlSeconds": 86400}}`. Overrides what a
 * handler declares for its type.
 */
export function readJobTypeLimits(read: EnvReader, raw: string | undefined): ReadonlyMap<string, TimeLimits> {
  const limits = new Map<string, TimeLimits>();
  if (raw === undefined || raw.trim() === '') return limits;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    read.problems.push('JOB_TYPE_LIMITS must be JSON: {"<job type>": {"timeoutSeconds": n, "queueTtlSeconds": n}}');
    return limits;
  }
  if (!isPlainObject(parsed)) {
    read.problems.push('JOB_TYPE_LIMITS must be a JSON object keyed by job type');
    return limits;
  }
  for (const [type, value] of Object.entries(parsed)) {
    if (!JOB_TYPE_PATTERN.test(type)) read.problems.push(`JOB_TYPE_LIMITS: "${type}" is not a job type name`);
    else if (!isPlainObject(value)) read.problems.push(`JOB_TYPE_LIMITS.${type} must be an object`);
    else {
      const entry = readEntry(read, type, value);
      if (entry) limits.set(type, entry);
    }
  }
  return limits;
}

function readEntry(read: EnvReader, type: string, value: Record<string, unknown>): TimeLimits | null {
  let ok = true;
  for (const [field, seconds] of Object.entries(value)) {
    const max = FIELDS[field as keyof typeof FIELDS] as number | undefined;
    if (max === undefined) {
      read.problems.push(`JOB_TYPE_LIMITS.${type}.${field} is unknown (timeoutSeconds, queueTtlSeconds)`);
      ok = false;
    } else if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > max) {
      read.problems.push(`JOB_TYPE_LIMITS.${type}.${field} must be an integer from 1 to ${max}`);
      ok = false;
    }
  }
  if (!ok) return null;
  const { timeoutSeconds, queueTtlSeconds } = value as { timeoutSeconds?: number; queueTtlSeconds?: number };
  return {
    ...(timeoutSeconds !== undefined ? { runTimeoutMs: timeoutSeconds * 1000 } : {}),
    ...(queueTtlSeconds !== undefined ? { queueTtlMs: queueTtlSeconds * 1000 } : {}),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
