import { JobStatus } from './job-status.js';

const LEGAL_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  // → EXPIRED: not started before its start deadline.
  [JobStatus.PENDING]: [JobStatus.QUEUED, JobStatus.CANCELLED, JobStatus.EXPIRED],
  // QUEUED → DEAD: no live worker can run the job's type (it would otherwise wait forever).
  [JobStatus.QUEUED]: [JobStatus.RUNNING, JobStatus.DEAD, JobStatus.CANCELLED, JobStatus.EXPIRED],
  [JobStatus.RUNNING]: [JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.DEAD, JobStatus.CANCELLED],
  [JobStatus.FAILED]: [JobStatus.QUEUED, JobStatus.DEAD, JobStatus.CANCELLED],
  [JobStatus.COMPLETED]: [],
  [JobStatus.DEAD]: [],
  [JobStatus.CANCELLED]: [],
  [JobStatus.EXPIRED]: [],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`illegal job transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function isTerminal(status: JobStatus): boolean {
  return LEGAL_TRANSITIONS[status].length === 0;
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: JobStatus, to: JobStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** The statuses a job may be in right before moving to `to`: the WHERE clause of a conditional UPDATE. */
export function sourcesOf(to: JobStatus): JobStatus[] {
  return (Object.keys(LEGAL_TRANSITIONS) as JobStatus[]).filter((from) => canTransition(from, to));
}

/**
 * States a client is told about (webhooks, notifications, the dead letter topic): each move into one
 * leaves a pending job event in the same statement, relayed afterwards from the transactional outbox.
 */
export const ANNOUNCED_STATUSES: readonly JobStatus[] = [JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.DEAD, JobStatus.CANCELLED, JobStatus.EXPIRED];

export function isAnnounced(status: JobStatus): boolean {
  return ANNOUNCED_STATUSES.includes(status);
}
