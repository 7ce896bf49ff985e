import { JobStatus } from '../jobs/domain/job-status.js';
import type { Job } from '../jobs/job.js';
import type { ProgressSnapshot } from './progress-tracker.port.js';

/** A running job as polling shows it: the live value of its current attempt over the (less fresh) row's. */
export function withLiveProgress(job: Job, live: ProgressSnapshot | null): Job {
  if (job.status !== JobStatus.RUNNING || !live || live.attempt !== job.attempts) return job;
  return { ...job, progressPercent: live.percent, progressMessage: live.message };
}
