export enum JobStatus {
  PENDING = 'PENDING',
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  FAILED = 'FAILED',
  COMPLETED = 'COMPLETED',
  DEAD = 'DEAD',
  CANCELLED = 'CANCELLED',
  /** Not started before its start deadline (queue-wait TTL). */
  EXPIRED = 'EXPIRED',
}

export const ALL_JOB_STATUSES: readonly JobStatus[] = Object.values(JobStatus);
