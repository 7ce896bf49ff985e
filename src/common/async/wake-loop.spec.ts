import { jest } from '@jest/globals';
import { WakeLoop } from './wake-loop.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WakeLoop', () => {
  it('folds wake-ups that arrive during a pass into one more pass', async () => {
    let passes = 0;
    let release!: () => void;
    const loop = new WakeLoop(
      () =>
        new Promise<number>((resolve) => {
          passes += 1;
          release = () => resolve(60_000);
        }),
      () => 60_000,
    );
    loop.start();
    expect(passes).toBe(1);
    loop.wake();
    loop.wake();
    loop.wake();
    release();
    await tick();
    expect(passes).toBe(2);
    release();
    await tick();
    expect(passes).toBe(2);
    loop.stop();
  });

  it('sleeps for the delay a pass returns, and retries after a failure', async () => {
    jest.useFakeTimers();
    try {
      const outcomes: Array<() => Promise<number>> = [
        () => Promise.reject(new Error('db down')),
        () => Promise.resolve(5000),
      ];
      let passes = 0;
      const errors: unknown[] = [];
      const loop = new WakeLoop(
        () => (outcomes[passes++] ?? (() => Promise.resolve(5000)))(),
        (error) => {
          errors.push(error);
          return 1000;
        },
      );
      loop.start();
      await jest.advanceTimersByTimeAsync(999);
      expect(passes).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(passes).toBe(2);
      expect(errors).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(4999);
      expect(passes).toBe(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(passes).toBe(3);
      loop.stop();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(passes).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
