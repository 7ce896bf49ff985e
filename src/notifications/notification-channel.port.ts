import type { JobStatus } from '../jobs/domain/job-status.js';
import type { JobEventTransaction } from '../jobs/job-event.js';
import type { JobNotice } from './job-notice.js';

/**
 * One way of telling people about job events, registered with the NotificationHub: adding a channel is
 * one adapter of this port. Two kinds exist, because a channel needs one of two guarantees:
 *
 * - durable (webhook, email): `record` writes the channel's rows in the transaction that marks the job
 *   events relayed, so a notice is never lost between a job's move and its delivery; `afterCommit` may
 *   then hand them to the channel's delivery queue. Only announced events (terminal states) reach it.
 * - live (SSE): `transitioned` is called on the node that moved the job, in the same tick, for every
 *   state change. Nothing is stored: a listener that missed one re-reads the job, which is the truth.
 */
export interface NotificationChannel {
  readonly name: string;
  record(notices: readonly JobNotice[], tx: JobEventTransaction): Promise<void>;
  afterCommit?(notices: readonly JobNotice[]): void;
}

/** A state change as live channels see it: every move, not only the announced ones. */
export interface JobStatusNotice {
  jobId: string;
  tenant: string;
  from: JobStatus | null;
  to: JobStatus;
  attempt: number;
}

export interface LiveNotificationChannel {
  readonly name: string;
  /** Must not throw or block: it runs inside the move's own call. */
  transitioned(notice: JobStatusNotice): void;
}
