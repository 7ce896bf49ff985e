import { jest } from '@jest/globals';
import { Counter, Registry } from 'prom-client';
import type { JobEvents } from '../../jobs/job-events.js';
import type { JobsRepository, TransitionedJob } from '../../jobs/jobs.repository.js';
import type { Job } from '../../jobs/job.js';
import { SlotGate } from './slot-gate.js';
import { StrandedJobsRescuer } from './stranded-jobs-rescuer.js';

const claimed = (id: string) => ({ id, type: 'sleep', status: 'RUNNING', previousStatus: 'QUEUED' }) as unknown as TransitionedJob;

function setUp(slots: number, found: TransitionedJob[]) {
  const gate = new SlotGate(slots);
  const claimStranded = jest.fn((limit: number) => Promise.resolve(found.slice(0, limit)));
  const started: Job[] = [];
  const rescued = new Counter({ name: 'rescued_total', help: 'x', registers: [new Registry()] });
  const rescuer = new StrandedJobsRescuer({
    jobs: { claimStranded } as unknown as JobsRepository,
    events: { transitionedAll: jest.fn() } as unknown as JobEvents,
    gate,
    claim: { leaseMs: 1000, workerId: 'w', types: ['sleep'] },
    dispatchTimeoutMs: 4000,
    start: (job) => started.push(job),
    rescued,
  });
  return { rescuer, gate, claimStranded, started, rescued };
}

/** One pass of the rescuer: it runs at start, then on its interval. */
async function onePass(rescuer: StrandedJobsRescuer): Promise<void> {
  rescuer.start();
  await new Promise((resolve) => setImmediate(resolve));
  rescuer.stop();
}

describe('StrandedJobsRescuer', () => {
  it('claims at most its free slots of jobs older than the dispatch timeout, and keeps those slots', async () => {
    const t = setUp(3, [claimed('a'), claimed('b'), claimed('c'), claimed('d')]);
    t.gate.tryAcquire();
    await onePass(t.rescuer);
    expect(t.claimStranded).toHaveBeenCalledWith(2, 4000, expect.objectContaining({ types: ['sleep'] }));
    expect(t.started.map((job) => job.id)).toEqual(['a', 'b']);
    expect(t.gate.free).toBe(0);
    expect(await t.rescued.get()).toMatchObject({ values: [{ value: 2 }] });
  });

  it('gives back the slots it did not fill', async () => {
    const t = setUp(4, [claimed('a')]);
    await onePass(t.rescuer);
    expect(t.started).toHaveLength(1);
    expect(t.gate.free).toBe(3);
  });

  it('does not even look while every slot is busy', async () => {
    const t = setUp(1, [claimed('a')]);
    t.gate.tryAcquire();
    await onePass(t.rescuer);
    expect(t.claimStranded).not.toHaveBeenCalled();
  });
});
