export interface ProgressSnapshot {
  jobId: string;
  percent: number;
  message: string | null;
  updatedAt: string;
}

export const JOB_PROGRESSED = 'job.progressed';

/** Where running jobs report progress. Reports are coalesced; percent never goes backwards. */
export abstract class ProgressTracker {
  /** Fire-and-forget: cheap enough to call thousands of times a second. */
  abstract report(jobId: string, attempt: number, percent: number, message?: string): void;
  /** Writes the latest value through (called when an attempt ends). */
  abstract flush(jobId: string): Promise<void>;
  abstract get(jobId: string): Promise<ProgressSnapshot | null>;
}
