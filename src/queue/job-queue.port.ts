import type { EntityManager } from 'typeorm';
import type { Job } from '../jobs/job.js';
import type { JobNotify } from '../notifications/job-notify.js';
import type { ClaimContext } from '../jobs/jobs.repository.js';

export type Transaction = Pick<EntityManager, 'query'>;
export type RunClaimedJob = (job: Job) => Promise<void>;

/** How a queue hands over a job request that arrived from outside (e.g. a Kafka message without a row yet). */
export type AcceptJobRequest = (request: ExternalJobRequest) => Promise<{ job: Job; created: boolean }>;

export interface ExternalJobRequest {
  type: string;
  payload?: Record<string, unknown>;
  jobId?: string;
  idempotencyKey?: string;
  callbackUrl?: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
  queueTtlSeconds?: number;
  notify?: JobNotify;
  owner: string;
  tenant: string;
  /** This node has no handler for the type, but a live worker does (mixed releases): accept it unchecked; that worker validates the payload. */
  typeRunElsewhere?: boolean;
}

export interface ConsumeOptions {
  run: RunClaimedJob;
  accept: AcceptJobRequest;
  concurrency: number;
  /** Who claims, for how long, and which job types: a node never claims a type it has no handler for. */
  claim: ClaimContext;
}

/**
 * How QUEUED jobs reach workers. `enqueued` runs inside the transaction that made the jobs
 * QUEUED, so a dispatch record is durable exactly when the state change is.
 */
export abstract class JobQueue {
  abstract readonly name: string;
  /**
   * Whether `enqueued` writes through the caller's transaction (an outbox row, say). When it does
   * not, a submission is one autocommit statement: no BEGIN/COMMIT round trips on the hot path.
   */
  readonly enqueueNeedsTransaction: boolean = true;
  abstract enqueued(tx: Transaction, jobs: ReadonlyArray<Pick<Job, 'id' | 'type'>>): Promise<void>;
  /** Claims jobs and hands each to `run`, at most `concurrency` at once. */
  abstract startConsuming(options: ConsumeOptions): Promise<void>;
  /** Stops claiming new jobs; jobs already handed out keep running. */
  abstract stopConsuming(): Promise<void>;
}
