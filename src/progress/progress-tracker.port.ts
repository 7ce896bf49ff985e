export interface ProgressSnapshot {
  jobId: string;
  /** The attempt that reported it; a new attempt starts again from its own first report. */
  attempt: number;
  percent: number;
  message: string | null;
  updatedAt: string;
  /** Strictly increasing per job (≈ epoch ms of the write): orders live values and SSE ids. */
  version: number;
}

/** Emitted in process on the node whose handler reported (after coalescing), with a `ProgressSnapshot`. */
export const JOB_PROGRESSED = 'job.progressed';

/** Where running jobs report progress. Reports are coalesced; within an attempt percent never goes backwards. */
export abstract class ProgressTracker {
  /** Fire-and-forget: cheap enough to call thousands of times a second. */
  abstract report(jobId: string, attempt: number, percent: number, message?: string): void;
  /** Writes the latest value through (called when an attempt ends without completing). */
  abstract flush(jobId: string): Promise<void>;
  /**
   * When an attempt completes: writes the live value through and hands back the latest message for
   * the job row, which the completing statement writes (no separate row write).
   */
  abstract settle(jobId: string): Promise<{ message: string | null } | null>;
  /**
   * The latest live value, or null when none is known or the live store does not answer in time;
   * callers then use the job row (`progressPercent`, `progressMessage`), which is written too.
   */
  abstract get(jobId: string): Promise<ProgressSnapshot | null>;
}
