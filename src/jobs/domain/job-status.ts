export enum JobStatus {
  PENDING = 'PENDING',
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  FAILED = 'FAILED',
  COMPLETED = 'COMPLETED',
  DEAD = 'DEAD',
  CANCELLED = 'CANCELLED',
}

export const ALL_JOB_STATUSES: readonly JobStatus[] = Object.values(JobStatus);
