import { jest } from '@jest/globals';
import type { KafkaMessage } from 'kafkajs';
import { QueryFailedError } from 'typeorm';
import { Problems } from '../../common/problem/problem.exception.js';
import { JobRequestRejected } from '../../jobs/job-request-rejected.js';
import type { Job } from '../../jobs/job.js';
import type { JobsRepository, TransitionedJob } from '../../jobs/jobs.repository.js';
import type { JobEvents } from '../../jobs/job-events.js';
import type { ConsumeOptions, ExternalJobRequest } from '../job-queue.port.js';
import { JobDispatch } from './job-dispatch.js';
import type { PoisonMessages } from './poison-messages.js';
import { SlotGate } from './slot-gate.js';

const ids = ['3f0c1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a50', '3f0c1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a51', '3f0c1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a52'];
const ID = ids[0];
const item = (value: unknown, offset = '7') => ({
  origin: { topic: 't', partition: 0, offset },
  message: { key: null, value: Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)), headers: {}, offset, timestamp: '0', attributes: 0 } as KafkaMessage,
});
const job = (fields: Partial<Job> = {}) => ({ id: ID, type: 'sleep', status: 'RUNNING', attempts: 1, previousStatus: 'QUEUED', ...fields }) as unknown as TransitionedJob;
const pgError = (code: string) => new QueryFailedError('INSERT', [], Object.assign(new Error(`pg ${code}`), { code }));

interface Overrides {
  claimByIds?: (dispatches: Array<{ id: string }>) => Promise<TransitionedJob[]>;
  findById?: () => Promise<Job | null>;
  accept?: (r: ExternalJobRequest) => Promise<unknown>;
  someoneRuns?: boolean;
  slots?: number;
}

function setUp(overrides: Overrides = {}) {
  const deadLetters: Array<{ code: string; reason: string }> = [];
  const accepted: ExternalJobRequest[] = [];
  const runs: string[] = [];
  const finishers: Array<() => void> = [];
  const gate = new SlotGate(overrides.slots ?? 1);
  const jobs = {
    claimByIds: jest.fn(overrides.claimByIds ?? ((dispatches: Array<{ id: string }>) => Promise.resolve(dispatches.map(({ id }) => job({ id }))))),
    findById: jest.fn(overrides.findById ?? (() => Promise.resolve(null))),
  };
  const options: ConsumeOptions = {
    run: (claimed) => {
      runs.push(claimed.id);
      return new Promise<void>((resolve) => finishers.push(resolve));
    },
    accept: (request) => {
      accepted.push(request);
      return (overrides.accept?.(request) ?? Promise.resolve({})) as ReturnType<ConsumeOptions['accept']>;
    },
    concurrency: overrides.slots ?? 1,
    claim: { leaseMs: 1000, workerId: 'w', types: ['sleep'] },
  };
  const dispatch = new JobDispatch({
    options,
    gate,
    jobs: jobs as unknown as JobsRepository,
    events: { transitionedAll: jest.fn() } as unknown as JobEvents,
    poison: { deadLetter: (_m: KafkaMessage, _o: unknown, code: string, reason: string) => (deadLetters.push({ code, reason }), Promise.resolve()) } as unknown as PoisonMessages,
    maxMessageBytes: 256,
    defaultTenant: 'default',
    someoneRuns: () => Promise.resolve(overrides.someoneRuns ?? false),
  });
  const heartbeat = jest.fn(() => Promise.resolve());
  const handle = (values: unknown[], running = () => true) => dispatch.handleBatch(values.map((value, i) => item(value, String(i))), heartbeat, running);
  return { dispatch, handle, gate, jobs, deadLetters, accepted, runs, heartbeat, finishAll: () => finishers.splice(0).forEach((f) => f()) };
}

describe('JobDispatch', () => {
  afterEach(() => jest.useRealTimers());

  it('claims the dispatches of a batch in one statement and runs them, each holding a slot until its run ends', async () => {
    const t = setUp({ slots: 3 });
    expect(await t.handle(ids.map((jobId) => ({ type: 'sleep', jobId })))).toBe(3);
    expect(t.jobs.claimByIds).toHaveBeenCalledTimes(1);
    expect(t.jobs.claimByIds.mock.calls[0][0]).toEqual(ids.map((id, i) => ({ id, origin: { topic: 't', partition: 0, offset: String(i) } })));
    expect(t.runs).toEqual(ids);
    expect(t.gate.free).toBe(0);
    t.finishAll();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.gate.free).toBe(3);
  });

  it('stops at the first dispatch without a slot: the rest must come again', async () => {
    const t = setUp({ slots: 1 });
    const handled = await t.handle([{ type: 'sleep', jobId: ids[0] }, Buffer.from('not json'), { type: 'sleep', jobId: ids[1] }, Buffer.from('also not json')]);
    expect(handled).toBe(2);
    expect(t.runs).toEqual([ids[0]]);
    expect(t.deadLetters.map((d) => d.code)).toEqual(['NOT_JSON']);
  });

  it('decodes each message once, however often its batch comes back for a freed slot', async () => {
    const t = setUp({ slots: 1 });
    let valueReads = 0;
    const items = ids.map((jobId, i) => {
      const { origin, message } = item({ type: 'sleep', jobId }, String(i));
      const value = message.value;
      return { origin, message: Object.defineProperty(message, 'value', { get: () => (valueReads++, value) }) };
    });
    expect(await t.dispatch.handleBatch(items, t.heartbeat, () => true)).toBe(1);
    const readsForOneDecode = valueReads / items.length;
    for (let rest = items.slice(1); rest.length > 0; rest = rest.slice(1)) {
      t.finishAll();
      await new Promise((resolve) => setImmediate(resolve));
      expect(await t.dispatch.handleBatch(rest, t.heartbeat, () => true)).toBe(1);
    }
    expect(t.runs).toEqual(ids);
    expect(valueReads).toBe(readsForOneDecode * items.length);
  });

  it('handles nothing when no slot is free and the first message is a dispatch', async () => {
    const t = setUp();
    t.gate.tryAcquire();
    expect(await t.handle([{ type: 'sleep', jobId: ID }])).toBe(0);
    expect(t.jobs.claimByIds).not.toHaveBeenCalled();
  });

  it('never claims a type it has no handler for, and leaves an existing job alone', async () => {
    const t = setUp({ findById: () => Promise.resolve(job({ type: 'video', status: 'QUEUED' } as Partial<Job>)) });
    expect(await t.handle([{ type: 'video', jobId: ID }])).toBe(1);
    expect(t.jobs.claimByIds).not.toHaveBeenCalled();
    expect(t.accepted).toEqual([]);
    expect(t.deadLetters).toEqual([]);
  });

  it('accepts an outside request of a type only another live worker runs, unchecked here', async () => {
    const t = setUp({ someoneRuns: true });
    await t.handle([{ type: 'video', payload: { a: 1 } }]);
    expect(t.accepted).toEqual([expect.objectContaining({ type: 'video', typeRunElsewhere: true, idempotencyKey: 'kafka:t:0:0' })]);
  });

  it('gives back the slot of a dispatch it could not claim, and dead-letters a type mismatch', async () => {
    const t = setUp({ claimByIds: () => Promise.resolve([]), findById: () => Promise.resolve(job({ type: 'report' })) });
    await t.handle([{ type: 'sleep', jobId: ID }]);
    expect(t.gate.free).toBe(1);
    expect(t.deadLetters).toEqual([{ code: 'TYPE_MISMATCH', reason: expect.stringMatching(/of type report, not sleep/) }]);
  });

  it.each([
    ['too large', { type: 'sleep', payload: { pad: 'x'.repeat(300) } }, 'TOO_LARGE'],
    ['not UTF-8', Buffer.from([0xff, 0xfe]), 'NOT_UTF8'],
    ['a NUL in the payload', { type: 'sleep', payload: { s: 'a\u0000' } }, 'UNSTORABLE_TEXT'],
    ['not the contract', { payload: {} }, 'INVALID_MESSAGE'],
  ])('dead-letters a message that is %s', async (_name, value, code) => {
    const t = setUp();
    expect(await t.handle([value])).toBe(1);
    expect(t.deadLetters.map((d) => d.code)).toEqual([code]);
  });

  it('dead-letters a rejected request with its problem type and detail', async () => {
    const t = setUp({ accept: () => Promise.reject(new JobRequestRejected(Problems.unknownJobType('nope', ['sleep']))) });
    await t.handle([{ type: 'nope' }]);
    expect(t.deadLetters).toEqual([{ code: 'unknown-job-type', reason: '"nope" is not a known job type' }]);
  });

  it('dead-letters what PostgreSQL refuses as data', async () => {
    const t = setUp({ accept: () => Promise.reject(pgError('22P05')) });
    await t.handle([{ type: 'sleep' }]);
    expect(t.deadLetters.map((d) => d.code)).toEqual(['DATA_REJECTED']);
  });

  it('waits out an unreachable database with backoff and heart-beats, then carries on', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const t = setUp({ accept: () => (++calls < 3 ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) : Promise.resolve({})) });
    const outcome = t.handle([{ type: 'sleep' }]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await outcome).toBe(1);
    expect(calls).toBe(3);
    expect(t.heartbeat).toHaveBeenCalledTimes(2);
    expect(t.deadLetters).toEqual([]);
  });

  it('waits out an unreachable database for the batch claim too, holding its slots meanwhile', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const t = setUp({
      claimByIds: (dispatches) => (++calls < 2 ? Promise.reject(Object.assign(new Error('down'), { code: '57P03' })) : Promise.resolve(dispatches.map(({ id }) => job({ id })))),
    });
    const outcome = t.handle([{ type: 'sleep', jobId: ID }]);
    await jest.advanceTimersByTimeAsync(5000);
    expect(await outcome).toBe(1);
    expect(t.runs).toEqual([ID]);
  });

  it('dead-letters an unexpected error after a few retries instead of stalling the partition', async () => {
    jest.useFakeTimers();
    const t = setUp({ accept: () => Promise.reject(new Error('a bug')) });
    const outcome = t.handle([{ type: 'sleep' }]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toBe(1);
    expect(t.deadLetters).toEqual([{ code: 'UNEXPECTED', reason: 'a bug' }]);
  });

  it('gives up waiting when the consumer stops', async () => {
    const t = setUp({ accept: () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })) });
    await expect(t.handle([{ type: 'sleep' }], () => false)).rejects.toThrow('down');
  });
});
