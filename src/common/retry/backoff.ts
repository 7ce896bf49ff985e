/** When to try a delivery again: every notification channel follows the same schedule. */
export interface RetrySchedule {
  /** Delays after failed attempt 1, 2, ...; past the end the last delay doubles each time. */
  backoffMs: readonly number[];
  /** 0..1: each delay is spread uniformly over ±jitter of itself. */
  jitter: number;
  /** Ceiling for the doubling past the end of `backoffMs`. */
  maxDelayMs?: number;
}

export interface RetryLimits extends RetrySchedule {
  /** Attempts per (re)delivery round, the first included. */
  maxAttempts: number;
}

export type RetryOrGiveUp = { outcome: 'retry'; delayMs: number; reason: string } | { outcome: 'failed'; reason: string };

const DEFAULT_MAX_DELAY_MS = 24 * 3_600_000;

/** A transient failure: retried on the schedule (waiting at least `atLeastMs`) until the round's attempts run out. */
export function retryOrGiveUp(
  reason: string,
  attempt: number,
  limits: RetryLimits,
  atLeastMs = 0,
  random: () => number = Math.random,
): RetryOrGiveUp {
  if (attempt >= limits.maxAttempts) {
    return { outcome: 'failed', reason: `${reason}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}` };
  }
  return { outcome: 'retry', delayMs: Math.max(backoffDelay(attempt, limits, random), atLeastMs), reason };
}

/** The scheduled wait after failed attempt `attempt` (1-based), with jitter applied. */
export function backoffDelay(attempt: number, rules: RetrySchedule, random: () => number = Math.random): number {
  const schedule = rules.backoffMs.length > 0 ? rules.backoffMs : [0];
  const index = Math.max(0, attempt - 1);
  const last = schedule[schedule.length - 1] ?? 0;
  const base =
    index < schedule.length
      ? (schedule[index] ?? 0)
      : Math.min(last * 2 ** (index - schedule.length + 1), rules.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  const spread = base * Math.min(Math.max(rules.jitter, 0), 1);
  return Math.max(0, Math.round(base - spread + 2 * spread * random()));
}
