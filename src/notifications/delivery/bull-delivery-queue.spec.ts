import { FinalFailure, RetryLater, deliveryBackoffStrategy, deliveryJobId } from './bull-delivery-queue.js';

describe('the Bull backoff strategy', () => {
  const strategy = deliveryBackoffStrategy({ backoffMs: [2000, 4000, 8000], jitter: 0 });

  it('uses the wait the retry rules chose (schedule, jitter, Retry-After)', () => {
    expect(strategy(1, new RetryLater(30_000, 'HTTP 429'))).toBe(30_000);
    expect(strategy(2, new RetryLater(4100, 'HTTP 500'))).toBe(4100);
  });

  it('gives the seed’s 2 s, 4 s, 8 s — not Bull’s built-in (2^n − 1)·delay — when an attempt crashed', () => {
    expect([1, 2, 3].map((attemptsMade) => strategy(attemptsMade, new Error('crash')))).toEqual([2000, 4000, 8000]);
  });

  it('stops retrying on a final failure', () => {
    expect(strategy(1, new FinalFailure('HTTP 404'))).toBe(-1);
  });

  it('never returns 0 (which Bull reads as "retry now, no delay")', () => {
    expect(strategy(1, new RetryLater(0, 'x'))).toBe(1);
    expect(deliveryBackoffStrategy({ backoffMs: [], jitter: 0 })(1, new Error('x'))).toBe(1);
  });

  it('job ids are stable per delivery and round', () => {
    expect(deliveryJobId({ id: 'abc', round: 1 })).toBe('abc.r1');
    expect(deliveryJobId({ id: 'abc', round: 2 })).toBe('abc.r2');
  });
});
