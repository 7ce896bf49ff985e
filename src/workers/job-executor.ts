import { Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { JobStatus } from '../jobs/domain/job-status.js';
import { decideRetry } from '../jobs/domain/retry-policy.js';
import { JobChannels } from '../jobs/job-channels.js';
import { interruptionPolicy } from '../jobs/interruption-policy.js';
import { JobEvents } from '../jobs/job-events.js';
import type { Job, JobErrorInput } from '../jobs/job.js';
import { JobsRepository, type TransitionedJob } from '../jobs/jobs.repository.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ProgressTracker } from '../progress/progress-tracker.port.js';
import { ResultStore, type StagedResult } from '../results/result-store.port.js';
import { validateObject } from '../common/validation/validate-object.js';
import { PermanentJobError, jsonOutput, type JobContext } from './job-handler.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { toStorableResult } from './job-output.js';
import { JobCompletions } from './job-completions.js';

export type AbortReason = 'cancelled' | 'lease-lost' | 'shutdown' | 'timeout';

const RETRY_JITTER = 0.2;
const STACK_LINES = 12;
const STACK_CHARS = 4000;

/** Enough of a failure's stack for an operator to find the line, never the whole trace. */
function trimmedStack(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  return error.stack.split('\n').slice(0, STACK_LINES).join('\n').slice(0, STACK_CHARS);
}

/** The attempt ran past its run timeout. */
export class RunTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the attempt ran longer than its run timeout of ${timeoutMs} ms`);
    this.name = 'RunTimeoutError';
  }
}

/** The handler's outcome, or a RunTimeoutError as soon as the run timeout fires (whatever the handler does with its signal). */
function untilTimedOut<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number | null): Promise<T> {
  if (timeoutMs === null) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      if (signal.reason === 'timeout') reject(new RunTimeoutError(timeoutMs));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Runs one claimed attempt: validate, execute with heartbeat and abort signal, store, transition. */
@Injectable()
export class JobExecutor {
  private readonly logger = new Logger(JobExecutor.name);
  private readonly running = new Map<string, AbortController>();
  private readonly staleAttempts: Counter;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: JobHandlerRegistry,
    private readonly jobs: JobsRepository,
    private readonly events: JobEvents,
    private readonly progress: ProgressTracker,
    private readonly results: ResultStore,
    private readonly notifications: PgNotifications,
    private readonly completions: JobCompletions,
    metrics: MetricsService,
  ) {
    this.staleAttempts = metrics.counter(
      'longhaul_stale_attempts_total',
      'Attempts that finished after losing their lease; their completion was refused and nothing they wrote was kept',
    );
  }

  get runningCount(): number {
    return this.running.size;
  }

  abort(jobId: string, reason: AbortReason): void {
    this.running.get(jobId)?.abort(reason);
  }

  abortAll(reason: AbortReason): void {
    for (const controller of this.running.values()) controller.abort(reason);
  }

  async run(job: Job): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const heartbeat = this.startHeartbeat(job, controller);
    const timeoutMs = job.runTimeoutMs ?? this.registry.get(job.type)?.options.limits?.runTimeoutMs ?? null;
    const timeout = timeoutMs === null ? null : setTimeout(() => controller.abort('timeout'), timeoutMs);
    try {
      await this.execute(job, controller.signal, timeoutMs);
    } finally {
      if (timeout) clearTimeout(timeout);
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }
  }

  private async execute(job: Job, signal: AbortSignal, timeoutMs: number | null): Promise<void> {
    const attempt = job.attempts;
    const files = new Map<string, StagedResult>();
    try {
      const registered = this.registry.get(job.type);
      if (!registered) throw new Error(`no handler for job type "${job.type}" on this node`);
      const payload = await validateObject(registered.options.payload, job.payload, 'payload');
      if (!payload.ok) throw new PermanentJobError(`invalid payload: ${payload.errors.map((e) => e.message).join('; ')}`);
      const context: JobContext = {
        jobId: job.id,
        attempt,
        maxAttempts: job.maxAttempts,
        tenant: job.tenant,
        signal,
        progress: (percent, message) => this.progress.report(job.id, attempt, percent, message),
        stageFile: async (file) => {
          if (files.has(file.name)) throw new Error(`result file "${file.name}" was staged twice`);
          const staged = await this.results.stage({ jobId: job.id, attempt, name: file.name }, { contentType: file.contentType, body: file.body });
          files.set(file.name, staged);
          return staged.ref;
        },
      };
      // A handler that ignores its signal still loses the attempt at the timeout; what it returns later is dropped.
      const output = await untilTimedOut(registered.handler.handle(payload.value, context), signal, timeoutMs);
      const progress = await this.progress.settle(job.id);
      const staged = output || files.size > 0 ? await this.results.stage({ jobId: job.id, attempt }, toStorableResult(output ?? jsonOutput(null))) : null;
      // Even when the signal fired meanwhile: the fenced completion is what decides whether this attempt still owns the job.
      await this.complete(job, staged, files, progress?.message ?? null);
    } catch (error) {
      await Promise.all([...files.values()].map((file) => file.discard()));
      await this.progress.flush(job.id).catch(() => undefined);
      await this.settleFailure(job, signal, error, timeoutMs);
    }
  }

  /**
   * Stores the result and completes in one transaction (group-committed with others finishing now),
   * fenced on this attempt: when the job no longer belongs to it (its lease expired and another attempt
   * took over, or it was cancelled), nothing it wrote survives.
   */
  private async complete(job: Job, staged: StagedResult | null, files: ReadonlyMap<string, StagedResult>, progressMessage: string | null): Promise<void> {
    const completed = await this.completions.complete(job, staged, files, progressMessage);
    if (completed) {
      this.events.transitioned(completed, completed.previousStatus);
    } else {
      this.staleAttempts.inc();
      this.logger.warn({ msg: 'stale attempt finished; its completion was refused and its result discarded', jobId: job.id, attempt: job.attempts });
    }
  }

  private async settleFailure(job: Job, signal: AbortSignal, thrown: unknown, timeoutMs: number | null): Promise<void> {
    let error = thrown;
    const reason = signal.aborted ? (signal.reason as AbortReason) : null;
    if (reason === 'cancelled' || reason === 'lease-lost') return; // someone else already moved the job
    // The handler may have thrown its own abort error first: the attempt failed for its timeout all the same.
    if (reason === 'timeout' && timeoutMs !== null && !(error instanceof RunTimeoutError)) error = new RunTimeoutError(timeoutMs);
    if (reason === 'shutdown') {
      this.publish(await this.jobs.interrupt(job, 'interrupted by shutdown', interruptionPolicy(this.config)), job, 'release');
      return;
    }
    const jobError = this.describe(error, job.attempts);
    // Interruptions are not failures: maxAttempts bounds what the handler itself got wrong.
    const failures = job.attempts - job.interruptions;
    const decision =
      error instanceof PermanentJobError
        ? { retry: false as const }
        : decideRetry(failures, job.maxAttempts, {
            baseDelayMs: this.config.retryBaseDelayMs,
            maxDelayMs: this.config.retryMaxDelayMs,
            jitter: RETRY_JITTER,
          });
    this.logger.warn({ msg: 'job attempt failed', jobId: job.id, type: job.type, attempt: job.attempts, retry: decision.retry, error: jobError.message });
    const moved = decision.retry
      ? await this.jobs.fail(job.id, job.attempts, jobError, decision.delayMs)
      : await this.jobs.bury(job.id, job.attempts, jobError);
    this.publish(moved, job, decision.retry ? 'fail' : 'bury');
  }

  private describe(error: unknown, attempt: number): JobErrorInput {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof PermanentJobError ? 'PERMANENT' : error instanceof RunTimeoutError ? 'TIMEOUT' : error instanceof Error ? error.name : 'ERROR';
    return { message: message.slice(0, 2000), code, attempt, stack: trimmedStack(error) };
  }

  private publish(moved: TransitionedJob | null, job: Job, action: string): void {
    if (!moved) {
      this.logger.warn({ msg: `could not ${action} job: the attempt no longer owns it`, jobId: job.id, attempt: job.attempts });
      return;
    }
    this.events.transitioned(moved, moved.previousStatus);
    // A retry was scheduled: the sweepers re-arm their timers for it.
    if (moved.status === JobStatus.FAILED) this.notifications.notify(JobChannels.due);
  }

  private startHeartbeat(job: Job, controller: AbortController): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.jobs
        .heartbeat(job.id, job.attempts, this.config.jobLeaseMs)
        .then(async (owned) => {
          if (owned || controller.signal.aborted) return;
          const current = await this.jobs.findById(job.id);
          controller.abort(current?.status === JobStatus.CANCELLED ? 'cancelled' : 'lease-lost');
        })
        .catch((error: unknown) => this.logger.warn({ msg: 'heartbeat failed', jobId: job.id, error: String(error) }));
    }, Math.max(250, Math.floor(this.config.jobLeaseMs / 3)));
    timer.unref();
    return timer;
  }
}
