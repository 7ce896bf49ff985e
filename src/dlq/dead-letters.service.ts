import { Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem/problem.exception.js';
import { JobStatus } from '../jobs/domain/job-status.js';
import type { Job } from '../jobs/job.js';
import { JobsService, type JobPage } from '../jobs/jobs.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { JobReplaysRepository, type JobReplay } from './job-replays.repository.js';

export interface ReplayRequest {
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  idempotencyKey?: string;
}

/**
 * Dead jobs stay as they died (their history is evidence); a replay submits a fresh job with the same
 * type, payload (or a corrected one) and callback, through the same validation as any submission.
 */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly jobs: JobsService,
    private readonly replays: JobReplaysRepository,
  ) {}

  list(filter: { type?: string; cursor?: string; limit?: number }, scope: TenantScope): Promise<JobPage> {
    return this.jobs.list({ ...filter, status: JobStatus.DEAD }, scope);
  }

  async get(id: string, scope: TenantScope): Promise<{ job: Job; replays: JobReplay[] }> {
    const job = await this.deadJob(id, scope);
    return { job, replays: await this.replays.forDeadJob(id) };
  }

  replaysOf(ids: string[]): Promise<JobReplay[]> {
    return this.replays.forDeadJobs(ids);
  }

  /** The replay belongs to the dead job's tenant and owner, whoever asks for it. */
  async replay(id: string, request: ReplayRequest, scope: TenantScope): Promise<{ job: Job; created: boolean }> {
    const dead = await this.deadJob(id, scope);
    const result = await this.jobs.submit({
      type: dead.type,
      payload: request.payload ?? (dead.payload as Record<string, unknown>),
      maxAttempts: request.maxAttempts ?? dead.maxAttempts,
      callbackUrl: dead.callbackUrl ?? undefined,
      owner: dead.owner,
      tenant: dead.tenant,
      idempotencyKey: request.idempotencyKey,
    });
    if (result.created) await this.replays.record(id, result.job.id, request.payload !== undefined);
    return result;
  }

  private async deadJob(id: string, scope: TenantScope): Promise<Job> {
    const job = await this.jobs.get(id, scope);
    if (job.status !== JobStatus.DEAD) {
      throw new ProblemException(409, 'job-not-dead', 'Job is not dead', `job ${id} is ${job.status}; only DEAD jobs can be replayed`, {
        status: job.status,
      });
    }
    return job;
  }
}

