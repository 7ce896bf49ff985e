import { Injectable } from '@nestjs/common';
import { ProblemException, Problems } from '../common/problem/problem.exception.js';
import { decodeTimeCursor, timePage } from '../common/pagination/cursor.js';
import { JobStatus } from '../jobs/domain/job-status.js';
import { JobRequestRejected } from '../jobs/job-request-rejected.js';
import type { Job } from '../jobs/job.js';
import { JobsService } from '../jobs/jobs.service.js';
import { CROSS_TENANT } from '../common/tenant.js';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope.js';
import { attemptsOf, type AttemptRecord } from './attempt-history.js';
import type { DeadLetterFilter } from './dead-letter-filter.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { JobReplaysRepository, type JobReplay } from './job-replays.repository.js';
import type { BulkReplayPayloadDto } from './dto/bulk-replay-payload.dto.js';

export interface ReplayRequest {
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  idempotencyKey?: string;
}

/** A dead job as operators see it: the job, its replays, whether it is parked, and every attempt. */
export interface DeadLetter {
  job: Job;
  replays: JobReplay[];
  parked: boolean;
  attempts: AttemptRecord[];
}

export interface DeadLetterPage {
  items: DeadLetter[];
  nextCursor: string | null;
}

export const BULK_REPLAY_TYPE = 'dlq.replay';

/** The filter a bulk replay works on: never what already has a replay, and parked jobs only when asked. */
export function bulkFilter(filter: BulkReplayPayloadDto['filter'], includeParked = filter.includeParked ?? false): DeadLetterFilter {
  return {
    type: filter.type,
    tenant: filter.tenant ?? null,
    errorText: filter.errorText,
    from: filter.from ? new Date(filter.from) : undefined,
    to: filter.to ? new Date(filter.to) : undefined,
    scheduleId: filter.scheduleId,
    parked: includeParked ? undefined : false,
    notReplayed: true,
  };
}

function assertRange(filter: DeadLetterFilter): void {
  if (filter.from && filter.to && filter.from > filter.to) throw Problems.validation([{ field: 'from', message: 'from must not be after to' }]);
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
    private readonly deadLetters: DeadLettersRepository,
  ) {}

  async list(filter: DeadLetterFilter, page: { cursor?: string; limit?: number }): Promise<DeadLetterPage> {
    assertRange(filter);
    const limit = page.limit ?? 50;
    const rows = await this.deadLetters.list(filter, page.cursor ? decodeTimeCursor(page.cursor) : undefined, limit + 1);
    const { items: jobs, nextCursor } = timePage(rows, limit);
    return { items: await this.describe(jobs), nextCursor };
  }

  count(filter: DeadLetterFilter): Promise<number> {
    assertRange(filter);
    return this.deadLetters.count(filter);
  }

  async get(id: string, scope: TenantScope): Promise<DeadLetter> {
    const [described] = await this.describe([await this.deadJob(id, scope)]);
    return described;
  }

  /** Deletes a dead job for good (its history and replay links go with it); returns what was deleted. */
  async purge(id: string, scope: TenantScope): Promise<Job> {
    const job = await this.deadJob(id, scope);
    if (!(await this.deadLetters.purge(id, tenantParam(scope)))) throw Problems.jobNotFound(id);
    return job;
  }

  /** The replay belongs to the dead job's tenant and owner, whoever asks for it. */
  async replay(id: string, request: ReplayRequest, scope: TenantScope): Promise<{ job: Job; created: boolean }> {
    return this.replayJob(await this.deadJob(id, scope), request);
  }

  /**
   * One replay of a bulk run: keyed on the dead job, so however many runs reach it (or the same run
   * twice), the database's idempotency key lets exactly one replay in.
   */
  async replayOnce(dead: Job, payloadPatch: Record<string, unknown> | undefined): Promise<'replayed' | 'skipped'> {
    const payload = payloadPatch ? { ...(dead.payload as Record<string, unknown>), ...payloadPatch } : undefined;
    try {
      const { created } = await this.replayJob(dead, { payload, idempotencyKey: `dlq-replay:${dead.id}` });
      return created ? 'replayed' : 'skipped';
    } catch (error) {
      if (error instanceof JobRequestRejected && error.code === 'idempotency-key-conflict') return 'skipped';
      throw error;
    }
  }

  /** Starts a bulk replay: a `dlq.replay` job across tenants (admins only see it), which replays at the given rate. */
  async startBulkReplay(payload: BulkReplayPayloadDto, requestedBy: string): Promise<Job> {
    const { job } = await this.jobs.submit({ type: BULK_REPLAY_TYPE, payload: { ...payload }, owner: requestedBy, tenant: CROSS_TENANT, maxAttempts: 1, internal: true });
    return job;
  }

  private async replayJob(dead: Job, request: ReplayRequest): Promise<{ job: Job; created: boolean }> {
    const result = await this.jobs.submit({
      type: dead.type,
      payload: request.payload ?? (dead.payload as Record<string, unknown>),
      maxAttempts: request.maxAttempts ?? dead.maxAttempts,
      callbackUrl: dead.callbackUrl ?? undefined,
      owner: dead.owner,
      tenant: dead.tenant,
      idempotencyKey: request.idempotencyKey,
    });
    if (result.created) await this.replays.record(dead.id, result.job.id, request.payload !== undefined);
    return result;
  }

  private async describe(jobs: Job[]): Promise<DeadLetter[]> {
    const ids = jobs.map((job) => job.id);
    const [replays, parked, histories] = await Promise.all([this.replays.forDeadJobs(ids), this.deadLetters.parkedAmong(ids), this.deadLetters.histories(ids)]);
    return jobs.map((job) => ({
      job,
      replays: replays.filter((replay) => replay.deadJobId === job.id),
      parked: parked.has(job.id),
      attempts: attemptsOf(histories.get(job.id) ?? []),
    }));
  }

  private async deadJob(id: string, scope: TenantScope): Promise<Job> {
    const job = await this.jobs.get(id, scope);
    if (job.status !== JobStatus.DEAD) {
      throw new ProblemException(409, 'job-not-dead', 'Job is not dead', `job ${id} is ${job.status}; only DEAD jobs can be replayed or purged`, {
        status: job.status,
      });
    }
    return job;
  }
}
