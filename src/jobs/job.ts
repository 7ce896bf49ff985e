import type { JobStatus } from './domain/job-status.js';
import type { JobError } from './job.entity.js';
import type { ResultRef } from '../results/result-ref.js';

export type { JobError, ResultRef };

/** A job as the rest of the app sees it (plain data, mapped from the row). */
export interface Job {
  id: string;
  type: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  nextAttemptAt: Date | null;
  leaseExpiresAt: Date | null;
  lockedBy: string | null;
  progressPercent: number;
  progressMessage: string | null;
  resultRef: ResultRef | null;
  lastError: JobError | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  owner: string;
  /** The tenant the job belongs to (`*`: spans tenants, admins only). */
  tenant: string;
  callbackUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Set on jobs a persistent schedule created: which schedule, and for which fire time. */
  scheduleId: string | null;
  scheduleFireTime: Date | null;
  /** The scheduler lock's fencing token under which the job was created (scheduled work only). */
  fencingToken: string | null;
}

/** A scheduler lock's fencing token: the insert succeeds only while it is the lock's current, unexpired one. */
export interface JobFence {
  lockName: string;
  token: string;
}

export interface NewJob {
  id: string;
  type: string;
  payload: unknown;
  status: JobStatus.PENDING | JobStatus.QUEUED;
  priority: number;
  maxAttempts: number;
  runAt: Date;
  idempotencyKey: string | null;
  requestHash: string | null;
  owner: string;
  tenant: string;
  callbackUrl: string | null;
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
