import type { JobStatus } from '../../jobs/domain/job-status.js';
import type { ProgressSnapshot } from '../progress-tracker.port.js';

/**
 * Change notices on the progress channel (Redis pub/sub in the distributed profile, in-process otherwise).
 * Wire format (JSON): progress `{k:'p', jobId, attempt, percent, message, updatedAt: epochMs, v}`;
 * status `{k:'s', jobId, from, to, attempt, at: epochMs}`; resync `{k:'r'}`. A status notice is only a signal: listeners
 * read the job's transitions from the database, which is the source of truth and of the SSE event ids.
 */
export type ProgressChange =
  | { kind: 'progress'; snapshot: ProgressSnapshot }
  | { kind: 'status'; jobId: string; to: JobStatus }
  | { kind: 'resync' };

/** Sent by a node whose connection came back: what it could not publish meanwhile must be re-read. */
export const RESYNC_NOTICE = JSON.stringify({ k: 'r' });

export function encodeStatusChange(
  jobId: string,
  from: JobStatus | null,
  to: JobStatus,
  attempt: number,
): string {
  return JSON.stringify({ k: 's', jobId, from, to, attempt, at: Date.now() });
}

export function encodeProgressChange(snapshot: ProgressSnapshot): string {
  const { jobId, attempt, percent, message, version } = snapshot;
  return JSON.stringify({
    k: 'p',
    jobId,
    attempt,
    percent,
    message,
    updatedAt: Date.parse(snapshot.updatedAt),
    v: version,
  });
}

const isInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);

/** Parses a channel message; anything malformed is dropped (null), never thrown. */
export function decodeChange(raw: string): ProgressChange | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.k === 'r') return { kind: 'resync' };
  if (typeof m.jobId !== 'string') return null;
  if (m.k === 's' && typeof m.to === 'string')
    return { kind: 'status', jobId: m.jobId, to: m.to as JobStatus };
  if (m.k !== 'p' || !isInt(m.attempt) || !isInt(m.percent) || !isInt(m.updatedAt) || !isInt(m.v))
    return null;
  if (m.message !== null && m.message !== undefined && typeof m.message !== 'string') return null;
  return {
    kind: 'progress',
    snapshot: {
      jobId: m.jobId,
      attempt: m.attempt,
      percent: Math.max(0, Math.min(100, m.percent)),
      message: m.message ?? null,
      updatedAt: new Date(m.updatedAt).toISOString(),
      version: m.v,
    },
  };
}
