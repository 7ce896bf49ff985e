import type { JobFence } from '../../jobs/job.js';

/** Scheduled work whose lock moved on (expired, or taken by another node) may not create jobs. */
export class StaleFencingTokenError extends Error {
  constructor(readonly fence: JobFence) {
    super(`fencing token ${fence.token} of scheduler lock "${fence.lockName}" is no longer current; job not created`);
    this.name = 'StaleFencingTokenError';
  }
}
