import { isTerminal } from '../../jobs/domain/job-state-machine.js';
import { JobStatus } from '../../jobs/domain/job-status.js';
import type { Job, JobTransition } from '../../jobs/job.js';
import type { ProgressSnapshot } from '../progress-tracker.port.js';
import { formatEventId } from './event-id.js';
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
    progress: {
      percent: progress.percent,
      message: progress.message,
      updatedAt: progress.updatedAt,
    },
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

const NO_ID = -1;
const progressFrames = new WeakMap<ProgressSnapshot, Map<number, string>>();

/**
 * The `progress` frame of a value for a stream whose last transition id is `transitionId` (null: a
 * stream without ids), built once however many streams send it — streams of a job that are in step
 * share it, so fan-out is one write of the same string per socket. (Strings, not Buffers: a chunked
 * response writes a string with its chunk header in one write, a Buffer as a three-part writev.)
 */
export function progressFrameOf(snapshot: ProgressSnapshot, transitionId: number | null): string {
  let byCursor = progressFrames.get(snapshot);
  if (!byCursor) {
    byCursor = new Map();
    progressFrames.set(snapshot, byCursor);
  }
  const key = transitionId ?? NO_ID;
  let frame = byCursor.get(key);
  if (frame === undefined) {
    const data: ProgressEventData = {
      jobId: snapshot.jobId,
      attempt: snapshot.attempt,
      percent: snapshot.percent,
      message: snapshot.message,
      updatedAt: snapshot.updatedAt,
    };
    const id =
      transitionId === null
        ? null
        : formatEventId({ transitionId, progressVersion: snapshot.version });
    frame = sseFrame('progress', id, JSON.stringify(data));
    byCursor.set(key, frame);
  }
  return frame;
}

export function sseFrame(name: string, id: string | null, data: string): string {
  return id === null
    ? `event: ${name}\ndata: ${data}\n\n`
    : `id: ${id}\nevent: ${name}\ndata: ${data}\n\n`;
}

/** The progress a stream or a poll shows: the live value of the current attempt, else the job row's. */
export function currentProgress(
  job: Job,
  live: ProgressSnapshot | null,
  status: JobStatus = job.status,
): ProgressSnapshot {
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
