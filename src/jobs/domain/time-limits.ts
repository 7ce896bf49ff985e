/** A week: the longest run timeout a job may ask for (and, in milliseconds, still a 32-bit integer). */
export const MAX_RUN_TIMEOUT_SECONDS = 604_800;
/** Thirty days: the longest a job may wait to start. */
export const MAX_QUEUE_TTL_SECONDS = 2_592_000;

/** A job type's own limits, applied when a submission names none. */
export interface TimeLimits {
  /** Each attempt fails (code TIMEOUT) once it has run this long. */
  readonly runTimeoutMs?: number;
  /** A job not started this long after it fell due becomes EXPIRED. */
  readonly queueTtlMs?: number;
}

export interface RequestedTimeLimits {
  timeoutSeconds?: number;
  queueTtlSeconds?: number;
}

/** The limits a job gets: what it asked for, else its type's, else none. */
export function effectiveTimeLimits(requested: RequestedTimeLimits, typeLimits: TimeLimits | undefined): { runTimeoutMs: number | null; queueTtlMs: number | null } {
  return {
    runTimeoutMs: requested.timeoutSeconds !== undefined ? requested.timeoutSeconds * 1000 : (typeLimits?.runTimeoutMs ?? null),
    queueTtlMs: requested.queueTtlSeconds !== undefined ? requested.queueTtlSeconds * 1000 : (typeLimits?.queueTtlMs ?? null),
  };
}
