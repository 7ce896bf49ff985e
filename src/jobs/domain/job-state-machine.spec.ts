import { ALL_JOB_STATUSES, JobStatus } from './job-status.js';
import {
  IllegalTransitionError,
  assertTransition,
  canTransition,
  isTerminal,
  sourcesOf,
} from './job-state-machine.js';

const S = JobStatus;
const LEGAL: Array<[JobStatus, JobStatus]> = [
  [S.PENDING, S.QUEUED],
  [S.PENDING, S.CANCELLED],
  [S.PENDING, S.EXPIRED],
  [S.QUEUED, S.RUNNING],
  [S.QUEUED, S.DEAD],
  [S.QUEUED, S.CANCELLED],
  [S.QUEUED, S.EXPIRED],
  [S.RUNNING, S.COMPLETED],
  [S.RUNNING, S.FAILED],
  [S.RUNNING, S.DEAD],
  [S.RUNNING, S.CANCELLED],
  [S.FAILED, S.QUEUED],
  [S.FAILED, S.DEAD],
  [S.FAILED, S.CANCELLED],
];
const isLegal = (from: JobStatus, to: JobStatus) => LEGAL.some(([f, t]) => f === from && t === to);
const ALL_PAIRS = ALL_JOB_STATUSES.flatMap((from) => ALL_JOB_STATUSES.map((to) => [from, to] as const));
const ILLEGAL = ALL_PAIRS.filter(([from, to]) => !isLegal(from, to));

describe('job state machine', () => {
  it.each(LEGAL)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(ILLEGAL)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('covers every pair of statuses exactly once', () => {
    expect(LEGAL.length + ILLEGAL.length).toBe(ALL_JOB_STATUSES.length ** 2);
    expect(ILLEGAL).toHaveLength(50);
  });

  it('knows the terminal statuses', () => {
    expect(ALL_JOB_STATUSES.filter(isTerminal).sort()).toEqual([S.CANCELLED, S.COMPLETED, S.DEAD, S.EXPIRED]);
  });

  it('lists the sources of a transition for conditional updates', () => {
    expect(sourcesOf(S.QUEUED).sort()).toEqual([S.FAILED, S.PENDING]);
    expect(sourcesOf(S.CANCELLED).sort()).toEqual([S.FAILED, S.PENDING, S.QUEUED, S.RUNNING]);
    expect(sourcesOf(S.PENDING)).toEqual([]);
    // Only a job that never started can expire: RUNNING and FAILED (a retry) are past their start.
    expect(sourcesOf(S.EXPIRED).sort()).toEqual([S.PENDING, S.QUEUED]);
  });
});
