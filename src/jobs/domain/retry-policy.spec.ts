import { decideRetry } from './retry-policy.js';

const seed = { baseDelayMs: 2000, maxDelayMs: 60_000, jitter: 0 };

describe('decideRetry', () => {
  it('backs off 2 s, 4 s, 8 s as the seed does', () => {
    expect(decideRetry(1, 4, seed)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry(2, 4, seed)).toEqual({ retry: true, delayMs: 4000 });
    expect(decideRetry(3, 4, seed)).toEqual({ retry: true, delayMs: 8000 });
  });

  it('stops once the attempts are used up', () => {
    expect(decideRetry(3, 3, seed)).toEqual({ retry: false });
    expect(decideRetry(5, 3, seed)).toEqual({ retry: false });
  });

  it('caps the delay', () => {
    expect(decideRetry(20, 100, seed)).toEqual({ retry: true, delayMs: 60_000 });
  });

  it('spreads the delay by the jitter share', () => {
    const options = { ...seed, jitter: 0.25 };
    expect(decideRetry(1, 3, options, () => 0)).toEqual({ retry: true, delayMs: 1500 });
    expect(decideRetry(1, 3, options, () => 0.5)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry(1, 3, options, () => 0.999999)).toEqual({ retry: true, delayMs: 2500 });
  });
});
