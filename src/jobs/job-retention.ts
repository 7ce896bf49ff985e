import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { RetentionRegistry } from '../retention/retention-registry.js';
import { ResultStore } from '../results/result-store.port.js';
import { JobRetentionRepository, type JobWithResult } from './job-retention.repository.js';
import { WorkerPresenceRepository } from './worker-presence.repository.js';

/** Workers gone this long leave the registry. */
const FORGET_WORKERS_AFTER_MS = 24 * 3_600_000;

/**
 * What of the job core expires: results past RESULT_TTL_SECONDS, finished jobs past
 * JOB_RETENTION_SECONDS (with their history and results), and workers long gone.
 */
@Injectable()
export class JobRetention {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: JobRetentionRepository,
    private readonly results: ResultStore,
    private readonly presence: WorkerPresenceRepository,
    registry: RetentionRegistry,
  ) {
    registry.register({ name: 'expired results', prune: (limit) => this.expireResults(limit) });
    registry.register({ name: 'finished jobs', prune: (limit) => this.deleteFinishedJobs(limit) });
    registry.register({ name: 'gone workers', prune: () => this.presence.forgetGone(FORGET_WORKERS_AFTER_MS) });
  }

  private async expireResults(limit: number): Promise<number> {
    const jobs = await this.repository.expiredResults(limit);
    if (jobs.length === 0) return 0;
    await this.removeStoredObjects(jobs);
    await this.repository.forgetResults(jobs.map((job) => job.id));
    return jobs.length;
  }

  private async deleteFinishedJobs(limit: number): Promise<number> {
    const jobs = await this.repository.finishedBefore(this.config.retention.jobSeconds, limit);
    if (jobs.length === 0) return 0;
    await this.removeStoredObjects(jobs);
    await this.repository.deleteJobs(jobs.map((job) => job.id));
    return jobs.length;
  }

  /** Results outside the database (files, objects) are removed first; database rows go with their job row. */
  private async removeStoredObjects(jobs: readonly JobWithResult[]): Promise<void> {
    for (const job of jobs) {
      if (job.resultRef && (job.resultRef.store !== 'database' || job.resultRef.files)) await this.results.remove(job.id, job.resultRef);
    }
  }
}
