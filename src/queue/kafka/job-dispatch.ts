import { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { ProblemException } from '../../common/problem/problem.exception.js';
import type { Job } from '../../jobs/job.js';
import type { JobsRepository } from '../../jobs/jobs.repository.js';
import type { JobEvents } from '../../jobs/job-events.js';
import type { ConsumeOptions } from '../job-queue.port.js';
import { classifyFailure } from './failure-kind.js';
import type { MessageOrigin } from './dead-letter-headers.js';
import { parseJobMessage } from './parse-job-message.js';
import type { PoisonMessages } from './poison-messages.js';
import type { SlotGate } from './slot-gate.js';

/** `busy`: no run slot is free; the message must come again later (its partition is paused meanwhile). */
export type DispatchOutcome = 'handled' | 'busy';

const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 5000;
/** An error of unknown kind is retried this often before the message is dead-lettered. */
const UNKNOWN_ERROR_RETRIES = 5;

export interface DispatchDeps {
  options: ConsumeOptions;
  gate: SlotGate;
  jobs: JobsRepository;
  events: JobEvents;
  poison: PoisonMessages;
  maxMessageBytes: number;
  /** Whether a live worker somewhere runs a type this node does not (mixed releases). */
  someoneRuns(type: string): Promise<boolean>;
}

/**
 * What a worker does with one message of the jobs topic. A dispatch of a QUEUED job is claimed in
 * PostgreSQL (the database decides who runs it) and run off the partition. A message that can never
 * become a job goes to the dead letter topic with its reason, so the partition moves on; a database
 * that is unreachable is waited for (with backoff and heart-beats), never turned into a crash loop.
 */
export class JobDispatch {
  private readonly logger = new Logger(JobDispatch.name);
  private readonly handledTypes: ReadonlySet<string>;
  private readonly claimsInFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: DispatchDeps) {
    this.handledTypes = new Set(deps.options.claim.types);
  }

  /** Resolves once every claim that was under way has handed its job to the runner. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.claimsInFlight]);
  }

  async handle(origin: MessageOrigin, message: KafkaMessage, heartbeat: () => Promise<void>, running: () => boolean): Promise<DispatchOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dispatch(origin, message);
      } catch (error) {
        const { kind, code } = classifyFailure(error);
        if (kind === 'invalid' || kind === 'rejected-data' || (kind === 'unknown' && attempt > UNKNOWN_ERROR_RETRIES)) {
          await this.deps.poison.deadLetter(message, origin, code, describe(error));
          return 'handled';
        }
        if (!running()) throw error;
        const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 8));
        this.logger.warn({ msg: 'job message not handled yet; retrying', kind, attempt, retryInMs: delay, error: describe(error), ...origin });
        await new Promise((resolve) => setTimeout(resolve, delay));
        await heartbeat();
      }
    }
  }

  private async dispatch(origin: MessageOrigin, message: KafkaMessage): Promise<DispatchOutcome> {
    if (message.value && message.value.length > this.deps.maxMessageBytes) {
      await this.deps.poison.deadLetter(message, origin, 'TOO_LARGE', `value of ${message.value.length} bytes exceeds ${this.deps.maxMessageBytes}`);
      return 'handled';
    }
    const parsed = await parseJobMessage(message.value);
    if (!parsed.ok) {
      await this.deps.poison.deadLetter(message, origin, parsed.code, parsed.reason);
      return 'handled';
    }
    const request = parsed.message;
    if (request.jobId) {
      const existing = await this.claimOrFind(request.jobId, request.type, origin);
      if (existing === 'busy' || existing === 'started') return existing === 'busy' ? 'busy' : 'handled';
      if (existing && existing.type !== request.type) {
        await this.deps.poison.deadLetter(message, origin, 'TYPE_MISMATCH', `job ${existing.id} is of type ${existing.type}, not ${request.type}`);
        return 'handled';
      }
      // Claimed, finished or cancelled already (a duplicate or stale dispatch), or another node's type.
      if (existing) return 'handled';
    }
    await this.deps.options.accept({
      ...request,
      owner: 'kafka',
      idempotencyKey: request.idempotencyKey ?? (request.jobId ? undefined : `kafka:${origin.topic}:${origin.partition}:${origin.offset}`),
      typeRunElsewhere: !this.handledTypes.has(request.type) && (await this.deps.someoneRuns(request.type)),
    });
    return 'handled';
  }

  /**
   * A job of a type this node runs is claimed if it is QUEUED and a slot is free ('started'); without a
   * free slot the message waits ('busy'). A type this node lacks is never claimed: the job stays QUEUED
   * for a capable node (its own dispatch, or the rescue of stranded jobs). Returns the row otherwise.
   */
  private async claimOrFind(jobId: string, type: string, origin: MessageOrigin): Promise<Job | 'busy' | 'started' | null> {
    if (this.handledTypes.has(type)) {
      if (!this.deps.gate.tryAcquire()) return 'busy';
      const claim = this.deps.jobs.claimById(jobId, this.deps.options.claim, origin);
      this.claimsInFlight.add(claim);
      let claimed: Awaited<typeof claim> = null;
      try {
        claimed = await claim;
      } finally {
        this.claimsInFlight.delete(claim);
        if (!claimed) this.deps.gate.release();
      }
      if (claimed) {
        this.deps.events.transitioned(claimed, claimed.previousStatus);
        this.start(claimed);
        return 'started';
      }
    }
    return this.deps.jobs.findById(jobId);
  }

  /** Runs a claimed job off the partition; its slot is freed when it ends. Runs even while stopping. */
  start(job: Job): void {
    void this.deps.options
      .run(job)
      .catch((error: unknown) => this.logger.error({ msg: 'job run crashed', jobId: job.id, error: String(error) }))
      .finally(() => this.deps.gate.release());
  }
}

function describe(error: unknown): string {
  if (error instanceof ProblemException) return error.problem.detail ?? error.problem.title;
  return error instanceof Error ? error.message : String(error);
}
