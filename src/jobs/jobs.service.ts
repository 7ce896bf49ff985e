import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config.js';
import { Problems } from '../common/problem/problem.exception.js';
import { validateObject } from '../common/validation/validate-object.js';
import { withLiveProgress } from '../progress/live-progress.js';
import { ProgressTracker } from '../progress/progress-tracker.port.js';
import { JobQueue } from '../queue/job-queue.port.js';
import { ResultStore, type StoredResult } from '../results/result-store.port.js';
import { isTerminal } from './domain/job-state-machine.js';
import { JobStatus } from './domain/job-status.js';
import { requestHash } from './domain/request-hash.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { AllowList } from '../webhooks/domain/address-policy.js';
import { systemResolver } from '../webhooks/ssrf/host-resolver.js';
import { checkWebhookUrl } from '../webhooks/ssrf/url-guard.js';
import { WebhookProblems } from '../webhooks/webhook-problems.js';
import { JobChannels } from './job-channels.js';
import { JobEvents } from './job-events.js';
import type { Job, JobFence, JobTransition } from './job.js';
import { JobsRepository } from './jobs.repository.js';
import { JobRequestRejected, rejectingRequest } from './job-request-rejected.js';
import { JobTypes } from './types/job-types.js';
import { findUnstorableText } from '../common/validation/unstorable-text.js';

export interface SubmitJobCommand {
  type: string;
  payload?: Record<string, unknown>;
  priority?: number;
  runAt?: string;
  delaySeconds?: number;
  maxAttempts?: number;
  callbackUrl?: string;
  idempotencyKey?: string;
  owner?: string;
  /** A producer-chosen id (Kafka messages may carry one). */
  jobId?: string;
  /** Set by the scheduler only: the persistent schedule and fire time this job is for. */
  scheduleId?: string;
  scheduleFireTime?: Date;
  /** Set by scheduled work only: the job is created only while this scheduler lock token is current. */
  fencingToken?: JobFence;
  /** A type this node has no handler for but a live worker has (mixed releases): type and payload are checked there. */
  typeRunElsewhere?: boolean;
}

export interface SubmitResult {
  job: Job;
  created: boolean;
}

export interface JobPage {
  items: Job[];
  nextCursor: string | null;
}

const DEFAULT_OWNER = 'anonymous';

/** The one entry point for creating and controlling jobs: HTTP, Kafka and the scheduler all call it. */
@Injectable()
export class JobsService {
  private readonly callbackAllowList: AllowList;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueue,
    private readonly events: JobEvents,
    private readonly jobTypes: JobTypes,
    private readonly results: ResultStore,
    private readonly progress: ProgressTracker,
    private readonly notifications: PgNotifications,
  ) {
    this.callbackAllowList = AllowList.parse(config.webhooks.allowedHosts);
  }

  /** The type and payload checks of submit (422 unknown type, 400 naming the payload field); schedules reuse them. */
  async validateJob(type: string, payload: Record<string, unknown> | undefined, fieldPrefix = 'payload'): Promise<void> {
    assertStorable(payload, fieldPrefix);
    const jobType = this.jobTypes.get(type);
    if (!jobType) throw Problems.unknownJobType(type, this.jobTypes.types());
    const checked = await validateObject(jobType.payload, payload ?? {}, fieldPrefix);
    if (!checked.ok) throw Problems.validation(checked.errors);
  }

  async submit(command: SubmitJobCommand): Promise<SubmitResult> {
    await rejectingRequest(() => this.checkRequest(command));
    const owner = command.owner ?? DEFAULT_OWNER;
    const maxAttempts = command.maxAttempts ?? this.config.defaultMaxAttempts;
    const hash = command.idempotencyKey
      ? requestHash({ type: command.type, payload: command.payload ?? {}, priority: command.priority ?? 0, runAt: command.runAt, delaySeconds: command.delaySeconds, maxAttempts, callbackUrl: command.callbackUrl })
      : null;

    // One statement when the queue adds nothing to the transaction (the local queue wakes workers after it).
    const result = await this.jobs.transactionIf(this.queue.enqueueNeedsTransaction, async (tx) => {
      const outcome = await this.jobs.insertOrFindByIdempotencyKey(
        {
          id: command.jobId ?? randomUUID(),
          type: command.type,
          payload: command.payload ?? {},
          priority: command.priority ?? 0,
          maxAttempts,
          runAt: command.runAt !== undefined ? new Date(command.runAt) : null,
          delayMs: (command.delaySeconds ?? 0) * 1000,
          idempotencyKey: command.idempotencyKey ?? null,
          requestHash: hash,
          owner,
          callbackUrl: command.callbackUrl ?? null,
          scheduleId: command.scheduleId ?? null,
          scheduleFireTime: command.scheduleFireTime ?? null,
          fence: command.fencingToken ?? null,
        },
        tx,
      );
      if (outcome.created && outcome.job.status === JobStatus.QUEUED) await this.queue.enqueued(tx, [outcome.job]);
      return outcome;
    });
    if (!result.created && result.job.requestHash !== hash) {
      throw new JobRequestRejected(Problems.idempotencyConflict(command.idempotencyKey ?? '', result.job.id));
    }
    if (result.created) {
      if (result.job.status === JobStatus.PENDING) this.notifications.notify(JobChannels.due);
      this.events.transitioned(result.job, null);
    }
    return result;
  }

  private async checkRequest(command: SubmitJobCommand): Promise<void> {
    if (command.typeRunElsewhere && !this.jobTypes.get(command.type)) assertStorable(command.payload, 'payload');
    else await this.validateJob(command.type, command.payload);
    if (command.runAt !== undefined && command.delaySeconds !== undefined) {
      throw Problems.validation([{ field: 'delaySeconds', message: 'give either runAt or delaySeconds, not both' }]);
    }
    if (command.callbackUrl !== undefined) await this.assertCallbackAllowed(command.callbackUrl);
  }

  /** The webhook SSRF guard, applied when the callback is registered (delivery checks again). */
  private async assertCallbackAllowed(url: string): Promise<void> {
    const check = await checkWebhookUrl(url, this.callbackAllowList, systemResolver);
    if (!check.ok) throw WebhookProblems.urlRefused(check.reason);
  }

  async get(id: string): Promise<Job> {
    const job = await this.jobs.findById(id);
    if (!job) throw Problems.jobNotFound(id);
    // A running job's live progress is fresher than its row; without Redis (or past its timeout) the row answers.
    return job.status === JobStatus.RUNNING ? withLiveProgress(job, await this.progress.get(id)) : job;
  }

  async history(id: string): Promise<JobTransition[]> {
    await this.get(id);
    return this.jobs.transitions(id);
  }

  async list(filter: { status?: JobStatus; type?: string; scheduleId?: string; cursor?: string; limit?: number }): Promise<JobPage> {
    const limit = filter.limit ?? 50;
    const items = await this.jobs.list({
      status: filter.status,
      type: filter.type,
      scheduleId: filter.scheduleId,
      before: filter.cursor ? decodeCursor(filter.cursor) : undefined,
      limit: limit + 1,
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? encodeCursor(last) : null };
  }

  async cancel(id: string): Promise<Job> {
    const moved = await this.jobs.cancel(id, { message: 'cancelled by request', code: 'CANCELLED', attempt: 0 });
    if (moved) {
      this.events.transitioned(moved, moved.previousStatus);
      if (moved.previousStatus === JobStatus.RUNNING) this.notifications.notify(JobChannels.cancelled, id);
      return moved;
    }
    const job = await this.get(id);
    if (isTerminal(job.status)) throw Problems.alreadyFinished(id, job.status);
    return job;
  }

  async openResult(id: string): Promise<StoredResult> {
    const job = await this.get(id);
    if (job.status !== JobStatus.COMPLETED) throw Problems.resultNotReady(id, job.status);
    if (job.resultExpired && job.resultExpiresAt) throw Problems.resultExpired(id, job.resultExpiresAt);
    const stored = job.resultRef ? await this.results.open(id, job.resultRef) : null;
    return stored ?? { contentType: 'application/json', sizeBytes: 4, stream: Readable.from(['null']) };
  }


}

/** Text PostgreSQL cannot store (NUL, lone surrogates) is a 400 naming the field, never a database error. */
function assertStorable(payload: Record<string, unknown> | undefined, fieldPrefix: string): void {
  const unstorable = findUnstorableText(payload ?? {}, fieldPrefix);
  if (unstorable) throw Problems.validation([{ field: unstorable.field, message: unstorable.reason }]);
}

function encodeCursor(job: Job): string {
  return Buffer.from(`${job.createdAt.toISOString()}|${job.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(createdAt ?? '');
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw Problems.validation([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return { createdAt: date, id };
}
