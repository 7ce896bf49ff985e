import type { EntityManager } from 'typeorm';
import type { Job } from '../jobs/job.js';

export type Transaction = Pick<EntityManager, 'query'>;
export type RunClaimedJob = (job: Job) => Promise<void>;

/**
 * How QUEUED jobs reach workers. `enqueued` runs inside the transaction that made the jobs
 * QUEUED, so a dispatch record is durable exactly when the state change is.
 */
export abstract class JobQueue {
  abstract readonly name: string;
  abstract enqueued(tx: Transaction, jobs: ReadonlyArray<Pick<Job, 'id' | 'type'>>): Promise<void>;
  /** Claims jobs and hands each to `run`, at most `concurrency` at once. */
  abstract startConsuming(run: RunClaimedJob, concurrency: number): Promise<void>;
  /** Stops claiming new jobs; jobs already handed out keep running. */
  abstract stopConsuming(): Promise<void>;
}
