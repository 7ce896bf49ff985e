import { jest } from '@jest/globals';
import { ProgressCoalescer, type PendingProgress } from './progress-coalescer.js';

const INTERVAL_MS = 500;

interface Write {
  jobId: string;
  progress: PendingProgress;
}

function setUp(sink?: (jobId: string, progress: PendingProgress) => Promise<void>, firstWrite: 'at-once' | 'after-interval' = 'at-once') {
  const writes: Write[] = [];
  const errors: unknown[] = [];
  const coalescer = new ProgressCoalescer(
    INTERVAL_MS,
    sink ??
      ((jobId, progress) => {
        writes.push({ jobId, progress: { ...progress } });
        return Promise.resolve();
      }),
    (error) => errors.push(error),
    () => Date.now(),
    firstWrite,
  );
  return { coalescer, writes, errors };
}

describe('ProgressCoalescer', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes a first report at once, or an interval later when asked to (a shorter job costs no write)', async () => {
    const atOnce = setUp();
    atOnce.coalescer.offer('job-1', 1, 10, null);
    await jest.advanceTimersByTimeAsync(0);
    expect(atOnce.writes).toHaveLength(1);

    const later = setUp(undefined, 'after-interval');
    later.coalescer.offer('job-1', 1, 10, null);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(later.writes).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(later.writes.map((w) => w.progress.percent)).toEqual([10]);

    later.coalescer.offer('job-2', 1, 100, 'done');
    await jest.advanceTimersByTimeAsync(INTERVAL_MS / 2);
    expect(await later.coalescer.take('job-2')).toMatchObject({ percent: 100, message: 'done' });
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 2);
    expect(later.writes.map((w) => w.jobId)).toEqual(['job-1']);
  });

  it('turns 10,000 reports in a burst into one write of the latest value', async () => {
    const { coalescer, writes } = setUp();
    for (let i = 1; i <= 10_000; i++) coalescer.offer('job-1', 1, i / 100, `item ${i}`);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 4);
    expect(writes).toEqual([
      {
        jobId: 'job-1',
        progress: expect.objectContaining({ attempt: 1, percent: 100, message: 'item 10000' }),
      },
    ]);
  });

  it('writes at most once per interval while reports keep coming', async () => {
    const { coalescer, writes } = setUp();
    // 10,000 reports spread over 2 s: one every 0.2 ms.
    for (let i = 1; i <= 10_000; i++) {
      coalescer.offer('job-1', 1, i / 100, null);
      if (i % 5 === 0) await jest.advanceTimersByTimeAsync(1);
    }
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    // First write at once, then one per 500 ms over 2 s, plus the trailing one.
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.length).toBeLessThanOrEqual(6);
    expect(writes[writes.length - 1]?.progress.percent).toBe(100);
    const times = writes.map((write) => write.progress.updatedAt);
    for (let i = 2; i < times.length; i++)
      expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(INTERVAL_MS - 1);
  });

  it('never lets percent go backwards within an attempt, and keeps the last message', async () => {
    const { coalescer, writes } = setUp();
    expect(coalescer.offer('job-1', 1, 60, 'sixty').percent).toBe(60);
    expect(coalescer.offer('job-1', 1, 20, null)).toMatchObject({ percent: 60, message: 'sixty' });
    expect(coalescer.offer('job-1', 1, 40, 'forty')).toMatchObject({
      percent: 60,
      message: 'forty',
    });
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    coalescer.offer('job-1', 1, 10, null);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    const percents = writes.map((write) => write.progress.percent);
    expect(percents.length).toBeGreaterThan(0);
    expect(percents.every((percent) => percent === 60)).toBe(true);
  });

  it('clamps to 0..100 and whole numbers', () => {
    const { coalescer } = setUp();
    expect(coalescer.offer('a', 1, -5, null).percent).toBe(0);
    expect(coalescer.offer('b', 1, 33.9, null).percent).toBe(33);
    expect(coalescer.offer('c', 1, 250, null).percent).toBe(100);
  });

  it('starts over for a new attempt: lower percent allowed, old message dropped', () => {
    const { coalescer } = setUp();
    coalescer.offer('job-1', 1, 90, 'almost');
    expect(coalescer.offer('job-1', 2, 10, null)).toMatchObject({
      attempt: 2,
      percent: 10,
      message: null,
    });
    expect(coalescer.offer('job-1', 2, 5, null)).toMatchObject({ attempt: 2, percent: 10 });
  });

  it('keeps jobs apart', async () => {
    const { coalescer, writes } = setUp();
    coalescer.offer('a', 1, 70, null);
    coalescer.offer('b', 1, 30, null);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(writes.map((write) => [write.jobId, write.progress.percent]).sort()).toEqual([
      ['a', 70],
      ['b', 30],
    ]);
  });

  it('flush writes the latest value through at once and forgets the job', async () => {
    const { coalescer, writes } = setUp();
    coalescer.offer('job-1', 1, 10, null);
    await jest.advanceTimersByTimeAsync(0);
    coalescer.offer('job-1', 1, 80, 'done soon');
    await coalescer.flush('job-1');
    expect(writes.map((write) => write.progress.percent)).toEqual([10, 80]);
    expect(coalescer.peek('job-1')).toBeUndefined();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 2);
    expect(writes).toHaveLength(2);
    await coalescer.flush('job-1');
    expect(writes).toHaveLength(2);
  });

  it('peek answers the latest value before it is written', () => {
    const { coalescer } = setUp();
    coalescer.offer('job-1', 3, 42, 'halfway');
    expect(coalescer.peek('job-1')).toMatchObject({ attempt: 3, percent: 42, message: 'halfway' });
  });

  it('reports a failed write to onError and keeps going', async () => {
    let fail = true;
    const written: number[] = [];
    const { coalescer, errors } = setUp((_jobId, progress) => {
      if (fail) {
        fail = false;
        return Promise.reject(new Error('database down'));
      }
      written.push(progress.percent);
      return Promise.resolve();
    });
    coalescer.offer('job-1', 1, 10, null);
    await jest.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([new Error('database down')]);
    coalescer.offer('job-1', 1, 20, null);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(written).toEqual([20]);
  });
  it('does not write a value twice: flush after the last write costs nothing', async () => {
    const { coalescer, writes } = setUp();
    coalescer.offer('job-1', 1, 50, 'half');
    await jest.advanceTimersByTimeAsync(0);
    await coalescer.flush('job-1');
    expect(writes.map((write) => write.progress.percent)).toEqual([50]);
  });

  it('flush waits for a write in flight and retries it when it failed', async () => {
    const attempts: number[] = [];
    let rejectFirst: (error: Error) => void = () => undefined;
    const { coalescer } = setUp((_jobId, progress) => {
      attempts.push(progress.percent);
      return attempts.length === 1
        ? new Promise<void>((_resolve, reject) => (rejectFirst = reject))
        : Promise.resolve();
    });
    coalescer.offer('job-1', 1, 70, null);
    await jest.advanceTimersByTimeAsync(0);
    const flushed = coalescer.flush('job-1');
    rejectFirst(new Error('timeout'));
    await flushed;
    expect(attempts).toEqual([70, 70]);
  });
});
