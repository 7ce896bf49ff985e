import { Injectable } from '@nestjs/common';
import type { JobNotify } from '../notifications/job-notify.js';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config.js';
import { Problems } from '../common/problem/problem.exception.js';
import { validateObject } from '../common/validation/validate-object.js';
import { withLiveProgress } from '../progress/live-progress.js';
import { ProgressTracker } from '../progress/progress-tracker.port.js';
import { JobQueue } from '../queue/job-queue.port.js';
import { ResultStore, type ResultRef, type StoredResult } from '../results/result-store.port.js';
import { isTerminal } from './domain/job-state-machine.js';
import { JobStatus } from './domain/job-status.js';
import { requestHash } from './domain/request-hash.js';
import { effectiveTimeLimits } from './domain/time-limits.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { AllowList } from '../common/outbound-url/address-policy.js';
import { systemResolver } from '../common/outbound-url/host-resolver.js';
import { checkOutboundUrl } from '../common/outbound-url/url-guard.js';
import { urlRefused } from '../common/outbound-url/url-refused.problem.js';
import { JobChannels } from './job-channels.js';
import { JobEvents } from './job-events.js';
import type { Job, JobFence, JobTransition, NewJob } from './job.js';
import { ItemFailure, MicroBatcher } from '../common/async/micro-batcher.js';
import { JobIdTakenError, JobsRepository } from './jobs.repository.js';
import { CreationFence } from './creation-fence.port.js';
import { JobRequestRejected, rejectingRequest } from './job-request-rejected.js';
import { JobTypes, type JobTypeDescriptor } from './types/job-types.js';
import { findUnstorableText } from '../common/validation/unstorable-text.js';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope.js';
import { decodeTimeCursor, encodeTimeCursor } from '../common/pagination/cursor.js';

export interface SubmitJobCommand {
  type: string;
  payload?: Record<string, unknown>;
  priority?: number;
  runAt?: string;
  delaySeconds?: number;
  maxAttempts?: number;
  /** Run timeout of each attempt; else the type's. */
  timeoutSeconds?: number;
  /** Queue-wait TTL: not started this long after falling due → EXPIRED; else the type's. */
  queueTtlSeconds?: number;
  callbackUrl?: string;
  notify?: JobNotify;
  idempotencyKey?: string;
  owner?: string;
  /** The tenant the job belongs to. */
  tenant: string;
  /** A producer-chosen id (Kafka messages may carry one). */
  jobId?: string;
  /** Set by the scheduler only: the persistent schedule and fire time this job is for. */
  scheduleId?: string;
  scheduleFireTime?: Date;
  /** Set by scheduled work only: the job is created only while this scheduler lock token is current. */
  fencingToken?: JobFence;
  /** A type this node has no handler for but a live worker has (mixed releases): type and payload are checked there. */
  typeRunElsewhere?: boolean;
  /** Set by longhaul's own features only (never from a request): allows an internal job type. */
  internal?: boolean;
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
  private readonly inserts = new MicroBatcher<NewJob, SubmitResult>((batch) => this.insertBatch(batch));

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueue,
    private readonly events: JobEvents,
    private readonly jobTypes: JobTypes,
    private readonly results: ResultStore,
    private readonly progress: ProgressTracker,
    private readonly notifications: PgNotifications,
    private readonly fence: CreationFence,
  ) {
    this.callbackAllowList = AllowList.parse(config.webhooks.allowedHosts);
  }

  /** The type and payload checks of submit (422 unknown type, 400 naming the payload field); schedules reuse them. */
  async validateJob(type: string, payload: Record<string, unknown> | undefined, fieldPrefix = 'payload', internal = false): Promise<JobTypeDescriptor> {
    assertStorable(payload, fieldPrefix);
    const jobType = this.jobTypes.get(type);
    // An internal type is as unknown to clients as a type nobody registered.
    if (!jobType || (jobType.internal && !internal)) throw Problems.unknownJobType(type, this.jobTypes.types());
    const checked = await validateObject(jobType.payload, payload ?? {}, fieldPrefix);
    if (!checked.ok) throw Problems.validation(checked.errors);
    return jobType;
  }

  async submit(command: SubmitJobCommand): Promise<SubmitResult> {
    const jobType = await rejectingRequest(() => this.checkRequest(command));
    const owner = command.owner ?? DEFAULT_OWNER;
    const maxAttempts = command.maxAttempts ?? this.config.defaultMaxAttempts;
    const hash = command.idempotencyKey
      ? requestHash({ type: command.type, payload: command.payload ?? {}, priority: command.priority ?? 0, runAt: command.runAt, delaySeconds: command.delaySeconds, maxAttempts, callbackUrl: command.callbackUrl, notify: command.notify, timeoutSeconds: command.timeoutSeconds, queueTtlSeconds: command.queueTtlSeconds })
      : null;
    const limits = effectiveTimeLimits(command, jobType?.limits);

    const newJob: NewJob = {
      id: command.jobId ?? randomUUID(),
      type: command.type,
      payload: command.payload ?? {},
      priority: command.priority ?? 0,
      maxAttempts,
      runAt: command.runAt !== undefined ? new Date(command.runAt) : null,
      delayMs: (command.delaySeconds ?? 0) * 1000,
      runTimeoutMs: limits.runTimeoutMs,
      queueTtlMs: limits.queueTtlMs,
      idempotencyKey: command.idempotencyKey ?? null,
      requestHash: hash,
      owner,
      tenant: command.tenant,
      callbackUrl: command.callbackUrl ?? null,
      notify: command.notify ?? null,
      scheduleId: command.scheduleId ?? null,
      scheduleFireTime: command.scheduleFireTime ?? null,
      fence: command.fencingToken ?? null,
    };
    const result = await (newJob.fence ? this.insertFenced({ ...newJob, fence: newJob.fence }) : this.inserts.submit(newJob)).catch((error: unknown) => {
      if (error instanceof JobIdTakenError) throw new JobRequestRejected(Problems.jobIdTaken(error.jobId));
      throw error;
    });
    if (!result.created && result.job.requestHash !== hash) {
      throw new JobRequestRejected(Problems.idempotencyConflict(command.idempotencyKey ?? '', result.job.id));
    }
    if (result.created) {
      // The sweepers re-arm their timers for a job that falls due, or expires, later.
      if (result.job.status === JobStatus.PENDING || result.job.startDeadline) this.notifications.notify(JobChannels.due);
      this.events.transitioned(result.job, null);
    }
    return result;
  }

  /**
   * Concurrent submissions share one multi-row INSERT (and one outbox statement and commit); each caller
   * is answered when its row is committed. Should the shared statement fail, each job is tried alone, so
   * one bad row cannot fail the others.
   */
  private async insertBatch(batch: NewJob[]): Promise<Array<SubmitResult | ItemFailure>> {
    try {
      return await this.insertAndEnqueue(batch);
    } catch (error) {
      if (batch.length === 1) throw error;
      return Promise.all(batch.map((job) => this.insertAndEnqueue([job]).then(([result]) => result, (alone: unknown) => new ItemFailure(alone))));
    }
  }

  /** In one transaction when the queue writes through it (an outbox row); otherwise one autocommit statement. */
  private insertAndEnqueue(batch: NewJob[]): Promise<SubmitResult[]> {
    return this.jobs.transactionIf(this.queue.enqueueNeedsTransaction, async (tx) => {
      const outcomes = await this.jobs.insertMany(batch, tx);
      const queued = outcomes.filter((outcome) => outcome.created && outcome.job.status === JobStatus.QUEUED).map((outcome) => outcome.job);
      if (queued.length > 0) await this.queue.enqueued(tx, queued);
      return outcomes;
    });
  }

  /** Scheduled work: the fence is checked (and held) in the transaction that inserts the job. */
  private insertFenced(job: NewJob & { fence: JobFence }): Promise<SubmitResult> {
    return this.jobs.transaction(async (tx) => {
      await this.fence.assertHolds(job.fence, tx);
      const [outcome] = await this.jobs.insertMany([job], tx);
      if (outcome.created && outcome.job.status === JobStatus.QUEUED) await this.queue.enqueued(tx, [outcome.job]);
      return outcome;
    });
  }

  /** The checks of a submission; answers its job type, or undefined for a type only another live worker runs. */
  private async checkRequest(command: SubmitJobCommand): Promise<JobTypeDescriptor | undefined> {
    let jobType: JobTypeDescriptor | undefined;
    if (command.typeRunElsewhere && !this.jobTypes.get(command.type)) assertStorable(command.payload, 'payload');
    else {
      jobType = await this.validateJob(command.type, command.payload, 'payload', command.internal);
      await jobType.admit?.(command.payload ?? {}, { tenant: command.tenant });
    }
    if (command.runAt !== undefined && command.delaySeconds !== undefined) {
      throw Problems.validation([{ field: 'delaySeconds', message: 'give either runAt or delaySeconds, not both' }]);
    }
    if (command.callbackUrl !== undefined) await this.assertCallbackAllowed(command.callbackUrl);
    return jobType;
  }

  /** The outbound-URL guard (SSRF), applied when the callback is registered (delivery checks again). */
  private async assertCallbackAllowed(url: string): Promise<void> {
    const check = await checkOutboundUrl(url, this.callbackAllowList, systemResolver);
    if (!check.ok) throw urlRefused(check.reason);
  }

  async get(id: string, scope: TenantScope): Promise<Job> {
    const job = await this.jobs.findInScope(id, tenantParam(scope));
    if (!job) throw Problems.jobNotFound(id);
    // A running job's live progress is fresher than its row; without Redis (or past its timeout) the row answers.
    return job.status === JobStatus.RUNNING ? withLiveProgress(job, await this.progress.get(id)) : job;
  }

  async history(id: string, scope: TenantScope): Promise<JobTransition[]> {
    await this.get(id, scope);
    return this.jobs.transitions(id);
  }

  async list(filter: { status?: JobStatus; type?: string; scheduleId?: string; cursor?: string; limit?: number }, scope: TenantScope): Promise<JobPage> {
    const limit = filter.limit ?? 50;
    const items = await this.jobs.list({
      status: filter.status,
      type: filter.type,
      scheduleId: filter.scheduleId,
      tenant: tenantParam(scope),
      before: filter.cursor ? decodeCursor(filter.cursor) : undefined,
      limit: limit + 1,
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? encodeCursor(last) : null };
  }

  async cancel(id: string, scope: TenantScope): Promise<Job> {
    if (!scope.all) await this.get(id, scope);
    const moved = await this.jobs.cancel(id, { message: 'cancelled by request', code: 'CANCELLED', attempt: 0 });
    if (moved) {
      this.events.transitioned(moved, moved.previousStatus);
      if (moved.previousStatus === JobStatus.RUNNING) this.notifications.notify(JobChannels.cancelled, id);
      return moved;
    }
    const job = await this.get(id, scope);
    if (isTerminal(job.status)) throw Problems.alreadyFinished(id, job.status);
    return job;
  }

  async openResult(id: string, scope: TenantScope): Promise<StoredResult> {
    const job = await this.completedWithResult(id, scope);
    const stored = job.resultRef ? await this.results.open(id, job.resultRef) : null;
    return stored ?? { contentType: 'application/json', sizeBytes: 4, stream: Readable.from(['null']) };
  }

  /** The ref of a named file of a COMPLETED job's result (404 when it has none of that name). */
  async resultFile(id: string, name: string, scope: TenantScope): Promise<ResultRef> {
    const job = await this.completedWithResult(id, scope);
    const file = Object.hasOwn(job.resultRef?.files ?? {}, name) ? job.resultRef?.files?.[name] : undefined;
    if (!file) throw Problems.resultFileNotFound(id, name);
    return file;
  }

  async openResultFile(id: string, name: string, scope: TenantScope): Promise<StoredResult> {
    const stored = await this.results.open(id, await this.resultFile(id, name, scope));
    if (!stored) throw Problems.resultFileNotFound(id, name);
    return stored;
  }

  private async completedWithResult(id: string, scope: TenantScope): Promise<Job> {
    const job = await this.get(id, scope);
    if (job.status !== JobStatus.COMPLETED) throw Problems.resultNotReady(id, job.status);
    if (job.resultExpired && job.resultExpiresAt) throw Problems.resultExpired(id, job.resultExpiresAt);
    return job;
  }

}

/** Text PostgreSQL cannot store (NUL, lone surrogates) is a 400 naming the field, never a database error. */
function assertStorable(payload: Record<string, unknown> | undefined, fieldPrefix: string): void {
  const unstorable = findUnstorableText(payload ?? {}, fieldPrefix);
  if (unstorable) throw Problems.validation([{ field: unstorable.field, message: unstorable.reason }]);
}

function encodeCursor(job: Job): string {
  return encodeTimeCursor(job);
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  return decodeTimeCursor(cursor);
}
