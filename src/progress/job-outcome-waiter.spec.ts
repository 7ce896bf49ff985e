import { JobStatus } from '../jobs/domain/job-status.js';
import type { JobTransition } from '../jobs/job.js';
import { JobOutcomeWaiter } from './job-outcome-waiter.js';
import type { ProgressHub, ProgressListener } from './progress-hub.js';

class FakeHub {
  readonly listeners = new Set<ProgressListener>();
  subscribe(_jobId: string, listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  whenListening(): Promise<void> {
    return Promise.resolve();
  }
  transitions(...to: JobStatus[]): void {
    const all: JobTransition[] = to.map((status, index) => ({ id: String(index), jobId: 'j1', from: null, to: status, attempt: 1, reason: null, at: new Date() }));
    for (const listener of this.listeners) listener.transitions(all);
  }
}

function setUp() {
  const hub = new FakeHub();
  return { hub, waiter: new JobOutcomeWaiter(hub as unknown as ProgressHub) };
}

const notYet = () => Promise.resolve(false);
const settled = (promise: Promise<void>) => Promise.race([promise.then(() => true), new Promise((resolve) => setImmediate(() => resolve(false)))]);

describe('JobOutcomeWaiter', () => {
  it('resolves when a terminal transition arrives, not before, and unsubscribes', async () => {
    const { hub, waiter } = setUp();
    const waiting = waiter.untilFinished('j1', 60_000, notYet);
    hub.transitions(JobStatus.QUEUED, JobStatus.RUNNING);
    expect(await settled(waiting)).toBe(false);
    hub.transitions(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DEAD);
    expect(await settled(waiting)).toBe(true);
    expect(hub.listeners.size).toBe(0);
  });

  it('resolves at once when the job finished before the subscription was up', async () => {
    const { hub, waiter } = setUp();
    await waiter.untilFinished('j1', 60_000, () => Promise.resolve(true));
    expect(hub.listeners.size).toBe(0);
  });

  it('resolves after the timeout, and at shutdown', async () => {
    const { hub, waiter } = setUp();
    await waiter.untilFinished('j1', 20, notYet);
    const waiting = waiter.untilFinished('j1', 60_000, notYet);
    waiter.onModuleDestroy();
    expect(await settled(waiting)).toBe(true);
    expect(hub.listeners.size).toBe(0);
  });
});
