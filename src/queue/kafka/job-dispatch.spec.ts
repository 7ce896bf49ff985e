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

const ID = '3f0c1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const origin = { topic: 't', partition: 0, offset: '7' };
const message = (value: unknown): KafkaMessage =>
  ({ key: null, value: Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)), headers: {}, offset: '7', timestamp: '0', attributes: 0 });
const job = (fields: Partial<Job> = {}) => ({ id: ID, type: 'sleep', status: 'RUNNING', previousStatus: 'QUEUED', ...fields }) as unknown as TransitionedJob;
const pgError = (code: string) => new QueryFailedError('INSERT', [], Object.assign(new Error(`pg ${code}`), { code }));

function setUp(overrides: { claimById?: () => Promise<TransitionedJob | null>; findById?: () => Promise<Job | null>; accept?: (r: ExternalJobRequest) => Promise<unknown>; someoneRuns?: boolean; slots?: number } = {}) {
  const deadLetters: Array<{ code: string; reason: string }> = [];
  const accepted: ExternalJobRequest[] = [];
  const runs: string[] = [];
  let finishRun: () => void = () => undefined;
  const gate = new SlotGate(overrides.slots ?? 1);
  const jobs = {
    claimById: jest.fn(overrides.claimById ?? (() => Promise.resolve(job()))),
    findById: jest.fn(overrides.findById ?? (() => Promise.resolve(null))),
  };
  const options: ConsumeOptions = {
    run: (claimed) => {
      runs.push(claimed.id);
      return new Promise<void>((resolve) => (finishRun = resolve));
    },
    accept: (request) => {
      accepted.push(request);
      return (overrides.accept?.(request) ?? Promise.resolve({})) as ReturnType<ConsumeOptions['accept']>;
    },
    concurrency: 1,
    claim: { leaseMs: 1000, workerId: 'w', types: ['sleep'] },
  };
  const dispatch = new JobDispatch({
    options,
    gate,
    jobs: jobs as unknown as JobsRepository,
    events: { transitioned: jest.fn() } as unknown as JobEvents,
    poison: { deadLetter: (_m: KafkaMessage, _o: unknown, code: string, reason: string) => (deadLetters.push({ code, reason }), Promise.resolve()) } as unknown as PoisonMessages,
    maxMessageBytes: 256,
    someoneRuns: () => Promise.resolve(overrides.someoneRuns ?? false),
  });
  const heartbeat = jest.fn(() => Promise.resolve());
  const handle = (value: unknown, running = () => true) => dispatch.handle(origin, message(value), heartbeat, running);
  return { dispatch, handle, gate, jobs, deadLetters, accepted, runs, heartbeat, finish: () => finishRun() };
}

describe('JobDispatch', () => {
  afterEach(() => jest.useRealTimers());

  it('claims a dispatched job of its type and runs it, holding a slot until the run ends', async () => {
    const t = setUp();
    expect(await t.handle({ type: 'sleep', jobId: ID })).toBe('handled');
    expect(t.jobs.claimById).toHaveBeenCalledWith(ID, expect.objectContaining({ types: ['sleep'] }), origin);
    expect(t.runs).toEqual([ID]);
    expect(t.gate.free).toBe(0);
    t.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.gate.free).toBe(1);
  });

  it('answers busy without claiming when no slot is free, so the partition pauses instead of blocking', async () => {
    const t = setUp();
    t.gate.tryAcquire();
    expect(await t.handle({ type: 'sleep', jobId: ID })).toBe('busy');
    expect(t.jobs.claimById).not.toHaveBeenCalled();
  });

  it('never claims a type it has no handler for, and leaves an existing job alone', async () => {
    const t = setUp({ findById: () => Promise.resolve(job({ type: 'video', status: 'QUEUED' } as Partial<Job>)) });
    expect(await t.handle({ type: 'video', jobId: ID })).toBe('handled');
    expect(t.jobs.claimById).not.toHaveBeenCalled();
    expect(t.accepted).toEqual([]);
    expect(t.deadLetters).toEqual([]);
  });

  it('accepts an outside request of a type only another live worker runs, unchecked here', async () => {
    const t = setUp({ someoneRuns: true });
    await t.handle({ type: 'video', payload: { a: 1 } });
    expect(t.accepted).toEqual([expect.objectContaining({ type: 'video', typeRunElsewhere: true, idempotencyKey: 'kafka:t:0:7' })]);
  });

  it('releases the slot when the claim finds nothing, and dead-letters a type mismatch', async () => {
    const t = setUp({ claimById: () => Promise.resolve(null), findById: () => Promise.resolve(job({ type: 'report' })) });
    await t.handle({ type: 'sleep', jobId: ID });
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
    expect(await t.handle(value)).toBe('handled');
    expect(t.deadLetters.map((d) => d.code)).toEqual([code]);
  });

  it('dead-letters a rejected request with its problem type and detail', async () => {
    const t = setUp({ accept: () => Promise.reject(new JobRequestRejected(Problems.unknownJobType('nope', ['sleep']))) });
    await t.handle({ type: 'nope' });
    expect(t.deadLetters).toEqual([{ code: 'unknown-job-type', reason: '"nope" is not a known job type' }]);
  });

  it('dead-letters what PostgreSQL refuses as data', async () => {
    const t = setUp({ accept: () => Promise.reject(pgError('22P05')) });
    await t.handle({ type: 'sleep' });
    expect(t.deadLetters.map((d) => d.code)).toEqual(['DATA_REJECTED']);
  });

  it('waits out an unreachable database with backoff and heart-beats, then carries on', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const t = setUp({ accept: () => (++calls < 3 ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) : Promise.resolve({})) });
    const outcome = t.handle({ type: 'sleep' });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await outcome).toBe('handled');
    expect(calls).toBe(3);
    expect(t.heartbeat).toHaveBeenCalledTimes(2);
    expect(t.deadLetters).toEqual([]);
  });

  it('dead-letters an unexpected error after a few retries instead of stalling the partition', async () => {
    jest.useFakeTimers();
    const t = setUp({ accept: () => Promise.reject(new Error('a bug')) });
    const outcome = t.handle({ type: 'sleep' });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toBe('handled');
    expect(t.deadLetters).toEqual([{ code: 'UNEXPECTED', reason: 'a bug' }]);
  });

  it('gives up waiting when the consumer stops', async () => {
    const t = setUp({ accept: () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })) });
    await expect(t.handle({ type: 'sleep' }, () => false)).rejects.toThrow('down');
  });
});
