import { isTerminal } from '../../jobs/domain/job-state-machine.js';
import { JobStatus } from '../../jobs/domain/job-status.js';
import type { Job, JobTransition } from '../../jobs/job.js';
import type { ProgressSnapshot } from '../progress-tracker.port.js';
import type { ProgressEventData, SnapshotEventData, StatusEventData } from './sse-events.dto.js';

/** What a stream starts from: the job row, its transitions and its current progress, read after subscribing. */
export interface StreamState {
  job: Job;
  transitions: readonly JobTransition[];
  /** The status the transitions end in (newest truth), falling back to the row's. */
  status: JobStatus;
  progress: ProgressSnapshot;
}

export const isTerminalStatus = (status: JobStatus): boolean => isTerminal(status);

const resultUrlOf = (jobId: string, status: JobStatus): string | null =>
  status === JobStatus.COMPLETED ? `/jobs/${jobId}/result` : null;

export function snapshotData(state: StreamState): SnapshotEventData {
  const { job, status, progress } = state;
  return {
    jobId: job.id,
    type: job.type,
    status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    progress: { percent: progress.percent, message: progress.message, updatedAt: progress.updatedAt },
    error: job.lastError,
    resultUrl: resultUrlOf(job.id, status),
    nextAttemptAt: status === JobStatus.FAILED ? (job.nextAttemptAt?.toISOString() ?? null) : null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

export function statusData(transition: JobTransition): StatusEventData {
  return {
    jobId: transition.jobId,
    transitionId: transition.id,
    from: transition.from,
    to: transition.to,
    attempt: transition.attempt,
    reason: transition.reason,
    at: transition.at.toISOString(),
    resultUrl: resultUrlOf(transition.jobId, transition.to),
  };
}

const progressJson = new WeakMap<ProgressSnapshot, string>();

/** JSON of a progress event, built once per value however many streams send it. */
export function progressJsonOf(snapshot: ProgressSnapshot): string {
  let json = progressJson.get(snapshot);
  if (json === undefined) {
    const data: ProgressEventData = {
      jobId: snapshot.jobId,
      attempt: snapshot.attempt,
      percent: snapshot.percent,
      message: snapshot.message,
      updatedAt: snapshot.updatedAt,
    };
    json = JSON.stringify(data);
    progressJson.set(snapshot, json);
  }
  return json;
}

/** The progress a stream or a poll shows: the live value of the current attempt, else the job row's. */
export function currentProgress(job: Job, live: ProgressSnapshot | null, status: JobStatus = job.status): ProgressSnapshot {
  if (live && live.attempt === job.attempts && !isTerminal(status)) return live;
  return {
    jobId: job.id,
    attempt: job.attempts,
    percent: status === JobStatus.COMPLETED ? 100 : job.progressPercent,
    message: job.progressMessage,
    updatedAt: job.updatedAt.toISOString(),
    version: job.updatedAt.getTime(),
  };
}
