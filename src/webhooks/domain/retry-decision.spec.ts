import { backoffDelay, decide, parseRetryAfter, type AttemptResult, type RetryRules } from './retry-decision.js';

const rules: RetryRules = { backoffMs: [2000, 4000, 8000], maxAttempts: 4, jitter: 0, retryAfterMaxMs: 3_600_000, retryable4xx: [] };
const NOW = Date.parse('2026-01-01T00:00:00Z');
const response = (status: number, extra: Partial<Extract<AttemptResult, { kind: 'response' }>> = {}): AttemptResult => ({
  kind: 'response',
  status,
  ...extra,
});
const at = (result: AttemptResult, attempt = 1, overrides: Partial<RetryRules> = {}) =>
  decide(result, attempt, { ...rules, ...overrides }, NOW, () => 0.5);

describe('decide', () => {
  it.each([200, 201, 202, 204, 299])('%i delivers', (status) => {
    expect(at(response(status))).toEqual({ outcome: 'delivered' });
  });

  it('410 fails and disables the subscription, whatever the attempt', () => {
    expect(at(response(410))).toEqual({ outcome: 'failed', reason: 'HTTP 410 Gone: the subscription is disabled', disable: 'gone' });
    expect(at(response(410), 4)).toMatchObject({ outcome: 'failed', disable: 'gone' });
  });

  it.each([301, 302, 303, 307, 308])('%i is a final failure: redirects are not followed', (status) => {
    expect(at(response(status, { location: 'http://elsewhere/' }))).toEqual({
      outcome: 'failed',
      reason: `HTTP ${status}: redirect to http://elsewhere/ not followed; update the webhook URL`,
    });
  });

  it('a redirect without Location still fails', () => {
    expect(at(response(302))).toEqual({ outcome: 'failed', reason: 'HTTP 302: redirect not followed; update the webhook URL' });
  });

  it.each([400, 401, 403, 404, 405, 408, 409, 413, 422, 451, 499])('%i is final by default', (status) => {
    expect(at(response(status))).toEqual({ outcome: 'failed', reason: `HTTP ${status}: client errors are final` });
  });

  it('configured 4xx statuses retry on the schedule', () => {
    expect(at(response(408), 1, { retryable4xx: [408, 425] })).toEqual({ outcome: 'retry', delayMs: 2000, reason: 'HTTP 408' });
    expect(at(response(404), 1, { retryable4xx: [408] })).toMatchObject({ outcome: 'failed' });
  });

  it.each([500, 501, 505, 599, 100, 199, 600])('%i retries on the schedule', (status) => {
    expect(at(response(status))).toEqual({ outcome: 'retry', delayMs: 2000, reason: `HTTP ${status}` });
  });

  it('walks the schedule 2 s, 4 s, 8 s, then gives up after maxAttempts', () => {
    expect(at(response(500), 1)).toMatchObject({ delayMs: 2000 });
    expect(at(response(500), 2)).toMatchObject({ delayMs: 4000 });
    expect(at(response(500), 3)).toMatchObject({ delayMs: 8000 });
    expect(at(response(500), 4)).toEqual({ outcome: 'failed', reason: 'HTTP 500; gave up after 4 attempts' });
    expect(at(response(500), 1, { maxAttempts: 1 })).toEqual({ outcome: 'failed', reason: 'HTTP 500; gave up after 1 attempt' });
  });

  it.each([429, 502, 503, 504])('%i waits at least Retry-After (seconds)', (status) => {
    expect(at(response(status, { retryAfter: '30' }))).toEqual({ outcome: 'retry', delayMs: 30_000, reason: `HTTP ${status}` });
  });

  it('Retry-After shorter than the schedule keeps the schedule', () => {
    expect(at(response(503, { retryAfter: '1' }), 2)).toMatchObject({ delayMs: 4000 });
  });

  it('Retry-After as an HTTP date', () => {
    const date = new Date(NOW + 90_000).toUTCString();
    expect(at(response(429, { retryAfter: date }))).toMatchObject({ outcome: 'retry', delayMs: 90_000 });
  });

  it('Retry-After is clamped to retryAfterMaxMs', () => {
    expect(at(response(429, { retryAfter: '999999' }), 1, { retryAfterMaxMs: 60_000 })).toMatchObject({ delayMs: 60_000 });
  });

  it('a garbage Retry-After falls back to the schedule', () => {
    expect(at(response(429, { retryAfter: 'soon' }))).toMatchObject({ delayMs: 2000 });
  });

  it('Retry-After on other statuses is ignored', () => {
    expect(at(response(500, { retryAfter: '30' }))).toMatchObject({ delayMs: 2000 });
  });

  it('429 still ends when the attempts run out', () => {
    expect(at(response(429, { retryAfter: '30' }), 4)).toEqual({ outcome: 'failed', reason: 'HTTP 429; gave up after 4 attempts' });
  });

  it('timeouts and network errors retry', () => {
    expect(at({ kind: 'timeout' })).toEqual({ outcome: 'retry', delayMs: 2000, reason: 'timed out' });
    expect(at({ kind: 'network-error', message: 'connect ECONNREFUSED' })).toEqual({
      outcome: 'retry',
      delayMs: 2000,
      reason: 'connect ECONNREFUSED',
    });
    expect(at({ kind: 'timeout' }, 4)).toMatchObject({ outcome: 'failed' });
  });

  it('a refused address is final at once', () => {
    expect(at({ kind: 'refused', message: '10.0.0.1 is a private address' })).toEqual({ outcome: 'failed', reason: '10.0.0.1 is a private address' });
  });
});

describe('backoffDelay', () => {
  const base = { backoffMs: [200, 400], jitter: 0 };

  it('doubles the last delay past the end of the list, up to a ceiling', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, base))).toEqual([200, 400, 800, 1600, 3200]);
    expect(backoffDelay(10, { ...base, maxDelayMs: 5000 })).toBe(5000);
  });

  it('spreads each delay over ±jitter', () => {
    const jittered = { backoffMs: [1000], jitter: 0.2 };
    expect(backoffDelay(1, jittered, () => 0)).toBe(800);
    expect(backoffDelay(1, jittered, () => 0.5)).toBe(1000);
    expect(backoffDelay(1, jittered, () => 0.999999)).toBe(1200);
  });

  it('clamps jitter into 0..1 and never goes negative', () => {
    expect(backoffDelay(1, { backoffMs: [1000], jitter: 5 }, () => 0)).toBe(0);
    expect(backoffDelay(1, { backoffMs: [1000], jitter: -1 }, () => 0)).toBe(1000);
  });

  it('an empty list means retry at once', () => {
    expect(backoffDelay(3, { backoffMs: [], jitter: 0 })).toBe(0);
  });

  it('treats attempt 0 like attempt 1', () => {
    expect(backoffDelay(0, base)).toBe(200);
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | null, number | null]>([
    [null, null],
    ['0', 0],
    ['120', 120_000],
    [' 5 ', 5000],
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['', null],
    [new Date(NOW + 10_000).toUTCString(), 10_000],
    [new Date(NOW - 10_000).toUTCString(), 0],
  ])('%p → %p', (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});
