import type { JobEventTransaction } from '../jobs/job-event.js';
import type { JobNotice } from './job-notice.js';

/**
 * One way of telling people about job events (webhook, email, …): adding a channel is one adapter of
 * this port, registered with the NotificationHub. `record` writes the channel's durable rows in the
 * transaction that marks the job events relayed (so a notice is never lost between a job's move and
 * its delivery); `afterCommit` may then hand them to the channel's delivery queue.
 */
export interface NotificationChannel {
  readonly name: string;
  record(notices: readonly JobNotice[], tx: JobEventTransaction): Promise<void>;
  afterCommit?(notices: readonly JobNotice[]): void;
}
