import type { JobStatus } from '../../jobs/domain/job-status.js';
import type { ProgressChange } from './progress-change.js';

export interface ProgressChangeSink {
  change(change: ProgressChange): void;
  /** Notices may have been lost (the subscription was down): listeners re-read current state. */
  resync(): void;
}

/** Where this process hears about progress and status changes of any job. Started once, on first use. */
export abstract class ProgressEventSource {
  /** Resolves once changes flow (or when it gave up waiting: a lost Redis recovers by itself and resyncs). */
  abstract start(sink: ProgressChangeSink): Promise<void>;
  abstract stop(): void;
  /** Tells every listening node (this one included) that a job moved; never throws. */
  abstract publishStatus(jobId: string, from: JobStatus | null, to: JobStatus, attempt: number): void;
}
