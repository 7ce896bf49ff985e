import type { JobStatus } from './domain/job-status.js';
import type { JobError, JobErrorInput } from './job-error.js';
import type { ResultRef } from '../results/result-ref.js';
import type { JobNotify } from '../notifications/job-notify.js';

export type { JobError, JobErrorInput, ResultRef };

/** A job as the rest of the app sees it (plain data, mapped from the row). */
export interface Job {
  id: string;
  type: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  /** Attempts started (each claim adds one; it is also the attempt's fencing token). */
  attempts: number;
  maxAttempts: number;
  /** Attempts cut off without an outcome (crash, lost lease, shutdown); capped by JOB_MAX_INTERRUPTIONS. */
  interruptions: number;
  runAt: Date;
  /** When the job last became QUEUED (due); dispatches that never arrive are rescued from it. */
  queuedAt: Date | null;
  nextAttemptAt: Date | null;
  leaseExpiresAt: Date | null;
  lockedBy: string | null;
  progressPercent: number;
  progressMessage: string | null;
  resultRef: ResultRef | null;
  /** After this the result is gone (RESULT_TTL_SECONDS): /result answers 410. */
  resultExpiresAt: Date | null;
  /** Whether the result has expired by the database's clock (read with the job; false when unknown). */
  resultExpired: boolean;
  lastError: JobError | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  owner: string;
  /** The tenant the job belongs to (`*`: spans tenants, admins only). */
  tenant: string;
  callbackUrl: string | null;
  /** Who else to tell about the job's events (read only by the notification channels). */
  notify: JobNotify | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The transport record (e.g. Kafka topic, partition, offset) that started the current attempt, if any. */
  dispatchOrigin: DispatchOrigin | null;
  /** Set on jobs a persistent schedule created: which schedule, and for which fire time. */
  scheduleId: string | null;
  scheduleFireTime: Date | null;
  /** The scheduler lock's fencing token under which the job was created (scheduled work only). */
  fencingToken: string | null;
  /** Each attempt fails (code TIMEOUT) once it has run this long; null: the type's limit, if any, applies when it runs. */
  runTimeoutMs: number | null;
  /** Not started by then (the database's clock): EXPIRED. */
  startDeadline: Date | null;
}

export interface DispatchOrigin {
  topic: string;
  partition: number;
  offset: string;
}

/** A scheduler lock's fencing token: the insert succeeds only while it is the lock's current, unexpired one. */
export interface JobFence {
  lockName: string;
  token: string;
}

/** A job to insert. Its start time is decided by the database's clock: `runAt` if given, else now + `delayMs`. */
export interface NewJob {
  id: string;
  type: string;
  payload: unknown;
  priority: number;
  maxAttempts: number;
  runAt: Date | null;
  delayMs: number;
  runTimeoutMs: number | null;
  /** The start deadline is this long after the job falls due. */
  queueTtlMs: number | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  owner: string;
  tenant: string;
  callbackUrl: string | null;
  notify?: JobNotify | null;
  scheduleId: string | null;
  scheduleFireTime: Date | null;
  fence: JobFence | null;
}

export interface JobTransition {
  id: string;
  jobId: string;
  from: JobStatus | null;
  to: JobStatus;
  attempt: number;
  reason: string | null;
  at: Date;
}
