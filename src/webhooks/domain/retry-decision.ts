import { backoffDelay, retryOrGiveUp, type RetryLimits } from '../../common/retry/backoff.js';

export { backoffDelay };

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

export interface RetryRules extends RetryLimits {
  /** Retry-After above this is clamped (a receiver cannot park a message for days). */
  retryAfterMaxMs: number;
  /** 4xx statuses retried like 5xx (by default every 4xx other than 429 is final). */
  retryable4xx: readonly number[];
}

/** Statuses whose Retry-After header sets (at least) the wait before the next attempt. */
export const RETRY_AFTER_STATUSES: readonly number[] = [429, 502, 503, 504];

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
  const retryOrExhaust = (reason: string, atLeastMs = 0): Decision =>
    retryOrGiveUp(reason, attempt, rules, Math.min(atLeastMs, rules.retryAfterMaxMs), random);

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
