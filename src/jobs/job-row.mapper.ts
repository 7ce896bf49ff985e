import type { JobStatus } from './domain/job-status.js';
import type { Job, JobTransition } from './job.js';
import type { JobError } from './job-error.js';
import type { ResultRef } from '../results/result-ref.js';
import { rowDate, rowDateOrNull } from '../common/sql/row-values.js';

export type JobRow = Record<string, unknown>;

/** Every column toJob reads. */
const JOB_COLUMN_NAMES = [
  'id', 'type', 'payload', 'status', 'priority', 'attempts', 'max_attempts', 'interruptions', 'run_at', 'queued_at',
  'next_attempt_at', 'lease_expires_at', 'locked_by', 'progress_percent', 'progress_message', 'result_ref',
  'result_expires_at', 'last_error', 'idempotency_key', 'request_hash', 'owner', 'tenant', 'callback_url', 'notify',
  'created_at', 'updated_at', 'started_at', 'finished_at', 'dispatch_origin', 'schedule_id', 'schedule_fire_time',
  'fencing_token', 'run_timeout_ms', 'start_deadline',
];

/** The columns toJob reads, for statements that must name them (prepared ones), optionally of a table alias. */
export function jobColumns(alias?: string): string {
  return JOB_COLUMN_NAMES.map((column) => (alias ? `${alias}.${column}` : column)).join(', ');
}

export function toJob(row: JobRow): Job {
  return {
    id: row.id as string,
    type: row.type as string,
    payload: row.payload,
    status: row.status as JobStatus,
    priority: row.priority as number,
    attempts: row.attempts as number,
    maxAttempts: row.max_attempts as number,
    interruptions: (row.interruptions as number | undefined) ?? 0,
    runAt: rowDate(row.run_at),
    queuedAt: rowDateOrNull(row.queued_at),
    nextAttemptAt: rowDateOrNull(row.next_attempt_at),
    leaseExpiresAt: rowDateOrNull(row.lease_expires_at),
    lockedBy: (row.locked_by as string | null) ?? null,
    progressPercent: row.progress_percent as number,
    progressMessage: (row.progress_message as string | null) ?? null,
    resultRef: (row.result_ref as ResultRef | null) ?? null,
    resultExpiresAt: rowDateOrNull(row.result_expires_at),
    resultExpired: row.result_expired === true,
    lastError: (row.last_error as JobError | null) ?? null,
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    requestHash: (row.request_hash as string | null) ?? null,
    owner: row.owner as string,
    tenant: row.tenant as string,
    callbackUrl: (row.callback_url as string | null) ?? null,
    notify: (row.notify as Job['notify'] | undefined) ?? null,
    createdAt: rowDate(row.created_at),
    updatedAt: rowDate(row.updated_at),
    startedAt: rowDateOrNull(row.started_at),
    finishedAt: rowDateOrNull(row.finished_at),
    dispatchOrigin: (row.dispatch_origin as Job['dispatchOrigin'] | undefined) ?? null,
    scheduleId: (row.schedule_id as string | null) ?? null,
    scheduleFireTime: rowDateOrNull(row.schedule_fire_time),
    fencingToken: (row.fencing_token as string | null) ?? null, // int8 arrives as a decimal string
    runTimeoutMs: (row.run_timeout_ms as number | null | undefined) ?? null,
    startDeadline: rowDateOrNull(row.start_deadline),
  };
}

export function toTransition(row: JobRow): JobTransition {
  return {
    id: String(row.id),
    jobId: row.job_id as string,
    from: (row.from_status as JobStatus | null) ?? null,
    to: row.to_status as JobStatus,
    attempt: row.attempt as number,
    reason: (row.reason as string | null) ?? null,
    at: rowDate(row.at),
  };
}
