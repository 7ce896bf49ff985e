export interface RetryPolicyOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1: the share of each delay that is randomised (0.2 → ±20 %). */
  jitter: number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/** Exponential backoff: attempt 1 failed → base, attempt 2 → 2·base, attempt 3 → 4·base … with jitter. */
export function decideRetry(
  attemptsMade: number,
  maxAttempts: number,
  options: RetryPolicyOptions,
  random: () => number = Math.random,
): RetryDecision {
  if (attemptsMade >= maxAttempts) return { retry: false };
  const exponential = options.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(exponential, options.maxDelayMs);
  const spread = capped * options.jitter;
  const delayMs = Math.max(0, Math.round(capped - spread + random() * 2 * spread));
  return { retry: true, delayMs };
}
