/** How one HTTP attempt ended, as far as the retry rules care. */
export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string | null; location?: string | null }
  | { kind: 'timeout' }
  | { kind: 'network-error'; message: string }
  /** The SSRF guard stopped the request before any connection was made. */
  | { kind: 'refused'; message: string };

export type Decision =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; delayMs: number; reason: string }
  | { outcome: 'failed'; reason: string; disable?: 'gone' };

export interface RetryRules {
  /** Delays after failed attempt 1, 2, ...; past the end the last delay doubles each time. */
  backoffMs: readonly number[];
  /** Attempts per (re)delivery round, the first included. */
  maxAttempts: number;
  /** 0..1: each delay is spread uniformly over ±jitter of itself. */
  jitter: number;
  /** Retry-After above this is clamped (a receiver cannot park a message for days). */
  retryAfterMaxMs: number;
  /** 4xx statuses retried like 5xx (by default every 4xx other than 429 is final). */
  retryable4xx: readonly number[];
  /** Ceiling for the doubling past the end of `backoffMs`. */
  maxDelayMs?: number;
}

/** Statuses whose Retry-After header sets (at least) the wait before the next attempt. */
export const RETRY_AFTER_STATUSES: readonly number[] = [429, 502, 503, 504];

const DEFAULT_MAX_DELAY_MS = 24 * 3_600_000;

/**
 * The whole retry policy in one function: 2xx delivers; 410 fails and disables; other 4xx fail
 * unless configured; 3xx fail (redirects are never followed); 429/502/503/504 wait at least
 * Retry-After; everything else retries on the schedule until the round's attempts run out.
 */
export function decide(
  result: AttemptResult,
  attempt: number,
  rules: RetryRules,
  now: number = Date.now(),
  random: () => number = Math.random,
): Decision {
  const retryOrExhaust = (reason: string, atLeastMs = 0): Decision => {
    if (attempt >= rules.maxAttempts) {
      return { outcome: 'failed', reason: `${reason}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}` };
    }
    const delayMs = Math.max(backoffDelay(attempt, rules, random), Math.min(atLeastMs, rules.retryAfterMaxMs));
    return { outcome: 'retry', delayMs, reason };
  };

  switch (result.kind) {
    case 'refused':
      return { outcome: 'failed', reason: result.message };
    case 'timeout':
      return retryOrExhaust('timed out');
    case 'network-error':
      return retryOrExhaust(result.message);
    case 'response':
      break;
  }
  const { status } = result;
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status === 410) return { outcome: 'failed', reason: 'HTTP 410 Gone: the subscription is disabled', disable: 'gone' };
  if (status >= 300 && status < 400) {
    const target = result.location ? ` to ${result.location}` : '';
    return { outcome: 'failed', reason: `HTTP ${status}: redirect${target} not followed; update the webhook URL` };
  }
  if (RETRY_AFTER_STATUSES.includes(status)) {
    return retryOrExhaust(`HTTP ${status}`, parseRetryAfter(result.retryAfter ?? null, now) ?? 0);
  }
  if (status >= 400 && status < 500 && !rules.retryable4xx.includes(status)) {
    return { outcome: 'failed', reason: `HTTP ${status}: client errors are final` };
  }
  return retryOrExhaust(`HTTP ${status}`);
}

/** The scheduled wait after failed attempt `attempt` (1-based), with jitter applied. */
export function backoffDelay(attempt: number, rules: Pick<RetryRules, 'backoffMs' | 'jitter' | 'maxDelayMs'>, random: () => number = Math.random): number {
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

/** RFC 9110 Retry-After: delay-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
