import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { preferenceApplied, type AsyncPreferences } from '../common/http/prefer.js';
import { AppConfig } from '../config/app-config.js';
import { JobOutcomeWaiter } from '../progress/job-outcome-waiter.js';
import { isTerminal } from './domain/job-state-machine.js';
import type { JobAcceptedDto } from './dto/job-views.dto.js';
import type { Job } from './job.js';
import { accepted, finished } from './job-responses.js';
import { JobsService } from './jobs.service.js';
import { onlyTenant } from '../tenancy/tenant-scope.js';

/**
 * The answer to a submission (POST /jobs, POST /reports): 202 at once, or — with `Prefer: wait=N` — 200
 * with the finished job if it finishes within N seconds (capped by PREFER_WAIT_MAX_SECONDS), else 202.
 */
@Injectable()
export class SubmissionAnswers {
  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly waiter: JobOutcomeWaiter,
  ) {}

  async answer(reply: FastifyReply, submitted: Job, base: string, preferences: AsyncPreferences): Promise<JobAcceptedDto> {
    const waitSeconds = preferences.waitSeconds === null || this.config.preferWaitMaxSeconds === 0 ? null : Math.min(preferences.waitSeconds, this.config.preferWaitMaxSeconds);
    const applied = preferenceApplied(preferences, waitSeconds);
    if (applied !== null) void reply.header('Preference-Applied', applied);
    if (waitSeconds === null) return accepted(reply, submitted, base);
    let job = submitted;
    if (!isTerminal(job.status) && waitSeconds > 0) {
      // The job was just made by this caller, in its tenant.
      const scope = onlyTenant(submitted.tenant);
      await this.waiter.untilFinished(job.id, waitSeconds * 1000, async () => isTerminal((await this.jobs.get(job.id, scope)).status));
      job = await this.jobs.get(job.id, scope);
    }
    return isTerminal(job.status) ? finished(reply, job, base) : accepted(reply, job, base);
  }
}
