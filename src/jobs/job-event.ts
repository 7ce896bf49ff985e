import type { JobStatus } from './domain/job-status.js';
import type { Job, JobError } from './job.js';

/**
 * A move into an announced state (COMPLETED, FAILED, DEAD, CANCELLED, EXPIRED), read back from the transactional
 * outbox: the history row the moving statement wrote, with the job as it is now.
 */
export interface JobEvent {
  /** The job_transitions row id: stable, unique per event. */
  transitionId: string;
  from: JobStatus | null;
  to: JobStatus;
  /** The attempt the move belongs to. */
  attempt: number;
  at: Date;
  /** The job's error at the time of the move (FAILED, DEAD, CANCELLED, EXPIRED). */
  error: JobError | null;
  job: Job;
}

/**
 * A consequence of job events (webhook deliveries, dead letter records): `record` writes its rows in
 * the relay's transaction, the one that marks the events done; `afterCommit` may then hand them on.
 */
export interface JobEventSink {
  readonly name: string;
  record(events: readonly JobEvent[], tx: JobEventTransaction): Promise<void>;
  afterCommit?(events: readonly JobEvent[]): void;
}

export interface JobEventTransaction {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}
