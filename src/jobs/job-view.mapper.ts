import { JobStatus } from './domain/job-status.js';
import type { JobDto, JobStatusDto, JobTransitionDto } from './dto/job-views.dto.js';
import type { Job, JobTransition } from './job.js';

/** Builds the public views; `base` is the resource path (/jobs or /reports) so both APIs link correctly. */
export function resultUrl(job: Job, base = '/jobs'): string | null {
  return job.status === JobStatus.COMPLETED ? `${base}/${job.id}/result` : null;
}

export function toJobDto(job: Job, base = '/jobs'): JobDto {
  return {
    jobId: job.id,
    tenant: job.tenant,
    type: job.type,
    status: job.status,
    progress: { percent: job.progressPercent, message: job.progressMessage },
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    interruptions: job.interruptions,
    priority: job.priority,
    payload: job.payload,
    runAt: job.runAt.toISOString(),
    nextAttemptAt: job.status === JobStatus.FAILED ? (job.nextAttemptAt?.toISOString() ?? null) : null,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    error: job.lastError,
    resultUrl: resultUrl(job, base),
    resultExpiresAt: job.resultExpiresAt?.toISOString() ?? null,
    callbackUrl: job.callbackUrl,
    scheduleId: job.scheduleId,
    scheduleFireTime: job.scheduleFireTime?.toISOString() ?? null,
    timeoutSeconds: job.runTimeoutMs === null ? null : job.runTimeoutMs / 1000,
    startDeadline: job.startDeadline?.toISOString() ?? null,
    notify: job.notify,
  };
}

export function toJobStatusDto(job: Job, base = '/jobs'): JobStatusDto {
  return {
    status: job.status,
    progress: { percent: job.progressPercent, message: job.progressMessage },
    resultUrl: resultUrl(job, base),
    error: job.lastError,
  };
}

export function toTransitionDto(transition: JobTransition): JobTransitionDto {
  return {
    from: transition.from,
    to: transition.to,
    attempt: transition.attempt,
    reason: transition.reason,
    at: transition.at.toISOString(),
  };
}
