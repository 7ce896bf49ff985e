import { jest } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { ProgressSettings } from '../../config/app-config.js';
import type { JobsRepository } from '../../jobs/jobs.repository.js';
import { JOB_PROGRESSED, type ProgressSnapshot } from '../progress-tracker.port.js';
import { MemoryProgressTracker } from './memory-progress-tracker.js';

const settings = { liveIntervalMs: 100, rowIntervalMs: 1000 } as ProgressSettings;

describe('MemoryProgressTracker', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  function setUp() {
    const rows: number[] = [];
    const jobs = {
      recordProgress: (_id: string, _attempt: number, percent: number) =>
        Promise.resolve(void rows.push(percent)),
    } as unknown as JobsRepository;
    const emitter = new EventEmitter2();
    const events: ProgressSnapshot[] = [];
    emitter.on(JOB_PROGRESSED, (snapshot: ProgressSnapshot) => events.push(snapshot));
    return { tracker: new MemoryProgressTracker(settings, jobs, emitter), rows, events };
  }

  it('announces coalesced values with strictly growing versions and writes the row less often', async () => {
    const { tracker, rows, events } = setUp();
    for (let i = 1; i <= 1000; i++) {
      tracker.report('j1', 1, i / 10, `item ${i}`);
      if (i % 10 === 0) await jest.advanceTimersByTimeAsync(1); // 1000 reports over 100 ms... x10
    }
    await jest.advanceTimersByTimeAsync(1000);
    await tracker.flush('j1');
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(4);
    expect(events.at(-1)).toMatchObject({
      jobId: 'j1',
      attempt: 1,
      percent: 100,
      message: 'item 1000',
    });
    const versions = events.map((event) => event.version);
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]);
    expect(rows.length).toBeLessThanOrEqual(3);
    expect(rows.at(-1)).toBe(100);
    expect(await tracker.get('j1')).toBeNull(); // the attempt is over: the row answers now
  });

  it('answers the live value while running', async () => {
    const { tracker } = setUp();
    tracker.report('j1', 1, 25, 'quarter');
    await jest.advanceTimersByTimeAsync(0);
    expect(await tracker.get('j1')).toMatchObject({ attempt: 1, percent: 25, message: 'quarter' });
  });
});
