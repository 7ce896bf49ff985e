import { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { ProblemException } from '../../common/problem/problem.exception.js';
import type { Job } from '../../jobs/job.js';
import { rejectingRequest } from '../../jobs/job-request-rejected.js';
import { kafkaMessageTenant } from '../../tenancy/kafka-tenant-header.js';
import type { JobsRepository, TransitionedJob } from '../../jobs/jobs.repository.js';
import type { JobEvents } from '../../jobs/job-events.js';
import type { ConsumeOptions } from '../job-queue.port.js';
import { classifyFailure } from './failure-kind.js';
import type { MessageOrigin } from './dead-letter-headers.js';
import { parseJobMessage, type ParsedJobMessage } from './parse-job-message.js';
import type { PoisonMessages } from './poison-messages.js';
import type { SlotGate } from './slot-gate.js';

export interface DispatchMessage {
  origin: MessageOrigin;
  message: KafkaMessage;
}

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
  /** KAFKA_DEFAULT_TENANT: the tenant of a message without an `x-tenant` header. */
  defaultTenant: string;
  /** Whether a live worker somewhere runs a type this node does not (mixed releases). */
  someoneRuns(type: string): Promise<boolean>;
}

interface Read {
  item: DispatchMessage;
  parsed: ParsedJobMessage | { ok: false; code: 'TOO_LARGE'; reason: string };
}

/**
 * What a worker does with the messages of the jobs topic. The dispatches of QUEUED jobs it runs are
 * claimed in PostgreSQL in one statement per batch (the database decides who runs each) and run off
 * the partition. A message that can never become a job goes to the dead letter topic with its reason,
 * so the partition moves on; a database that is unreachable is waited for (with backoff and
 * heart-beats), never turned into a crash loop.
 */
export class JobDispatch {
  private readonly logger = new Logger(JobDispatch.name);
  private readonly handledTypes: ReadonlySet<string>;
  private readonly claimsInFlight = new Set<Promise<unknown>>();
  /** A batch comes back to handleBatch once per freed slot: each message is decoded and validated once. */
  private readonly reads = new WeakMap<KafkaMessage, Promise<Read['parsed']>>();

  constructor(private readonly deps: DispatchDeps) {
    this.handledTypes = new Set(deps.options.claim.types);
  }

  /** Resolves once every claim that was under way has handed its jobs to the runner. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.claimsInFlight]);
  }

  /**
   * Handles messages in order and returns how many were handled: fewer than given when the run slots
   * ran out (the rest must come again; the caller pauses the partition until a slot frees).
   */
  async handleBatch(items: readonly DispatchMessage[], heartbeat: () => Promise<void>, running: () => boolean): Promise<number> {
    const reads: Read[] = await Promise.all(items.map(async (item) => ({ item, parsed: await this.read(item.message) })));
    const dispatches = reads.filter((read) => this.isOwnDispatch(read));
    let slots = 0;
    while (slots < dispatches.length && this.deps.gate.tryAcquire()) slots += 1;
    const handledCount = slots < dispatches.length ? reads.indexOf(dispatches[slots]) : reads.length;
    const claimed = await this.claimAll(dispatches.slice(0, slots), heartbeat, running);
    for (const read of reads.slice(0, handledCount)) {
      const job = read.parsed.ok && read.parsed.message.jobId ? claimed.get(read.parsed.message.jobId) : undefined;
      if (job) this.start(job);
      else await this.withRetries(read.item, heartbeat, running, () => this.handleOne(read));
    }
    return handledCount;
  }

  /** Runs a claimed job off the partition; its slot is freed when it ends. Runs even while stopping. */
  start(job: Job): void {
    void this.deps.options
      .run(job)
      .catch((error: unknown) => this.logger.error({ msg: 'job run crashed', jobId: job.id, error: String(error) }))
      .finally(() => this.deps.gate.release());
  }

  private read(message: KafkaMessage): Promise<Read['parsed']> {
    let parsed = this.reads.get(message);
    if (!parsed) {
      parsed = this.parse(message);
      this.reads.set(message, parsed);
    }
    return parsed;
  }

  private async parse(message: KafkaMessage): Promise<Read['parsed']> {
    if (message.value && message.value.length > this.deps.maxMessageBytes) {
      return { ok: false, code: 'TOO_LARGE', reason: `value of ${message.value.length} bytes exceeds ${this.deps.maxMessageBytes}` };
    }
    return parseJobMessage(message.value);
  }

  private isOwnDispatch({ parsed }: Read): boolean {
    return parsed.ok && parsed.message.jobId !== undefined && this.handledTypes.has(parsed.message.type);
  }

  /** One statement for every dispatch that got a slot; slots of jobs not claimed are given back. */
  private async claimAll(reads: Read[], heartbeat: () => Promise<void>, running: () => boolean): Promise<Map<string, TransitionedJob>> {
    if (reads.length === 0) return new Map();
    const dispatches = reads.map(({ item, parsed }) => ({ id: parsed.ok ? (parsed.message.jobId ?? '') : '', origin: item.origin }));
    let claimed: TransitionedJob[] = [];
    const claiming = this.retrying(heartbeat, running, () => this.deps.jobs.claimByIds(dispatches, this.deps.options.claim));
    this.claimsInFlight.add(claiming);
    try {
      claimed = await claiming;
    } finally {
      this.claimsInFlight.delete(claiming);
      for (let unused = reads.length - claimed.length; unused > 0; unused -= 1) this.deps.gate.release();
    }
    this.deps.events.transitionedAll(claimed);
    return new Map(claimed.map((job) => [job.id, job]));
  }

  /** A message that was not a claimed dispatch: dead-letter it, leave it to another node, or create its job. */
  private async handleOne({ item, parsed }: Read): Promise<void> {
    const { origin, message } = item;
    if (!parsed.ok) return this.deps.poison.deadLetter(message, origin, parsed.code, parsed.reason);
    const request = parsed.message;
    if (request.jobId) {
      const existing = await this.deps.jobs.findById(request.jobId);
      if (existing && existing.type !== request.type) {
        return this.deps.poison.deadLetter(message, origin, 'TYPE_MISMATCH', `job ${existing.id} is of type ${existing.type}, not ${request.type}`);
      }
      // Claimed, finished or cancelled already (a duplicate or stale dispatch), or another node's type.
      if (existing) return;
    }
    const tenant = await rejectingRequest(() => Promise.resolve(kafkaMessageTenant(message.headers, this.deps.defaultTenant)));
    await this.deps.options.accept({
      ...request,
      owner: 'kafka',
      tenant,
      idempotencyKey: request.idempotencyKey ?? (request.jobId ? undefined : `kafka:${origin.topic}:${origin.partition}:${origin.offset}`),
      typeRunElsewhere: !this.handledTypes.has(request.type) && (await this.deps.someoneRuns(request.type)),
    });
  }

  /** Handles one message; what can never succeed goes to the dead letter topic. */
  private async withRetries(item: DispatchMessage, heartbeat: () => Promise<void>, running: () => boolean, work: () => Promise<void>): Promise<void> {
    try {
      await this.retrying(heartbeat, running, work);
    } catch (error) {
      if (!running()) throw error;
      const { code } = classifyFailure(error);
      await this.deps.poison.deadLetter(item.message, item.origin, code, describe(error));
    }
  }

  /**
   * Retries while the database is unreachable (backoff, heart-beats so the group keeps this member) and
   * an unknown error a few times; throws what can never succeed (or anything once the consumer stops).
   */
  private async retrying<T>(heartbeat: () => Promise<void>, running: () => boolean, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        const { kind } = classifyFailure(error);
        const retryable = kind === 'transient' || (kind === 'unknown' && attempt <= UNKNOWN_ERROR_RETRIES);
        if (!retryable || !running()) throw error;
        const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 8));
        this.logger.warn({ msg: 'job message not handled yet; retrying', kind, attempt, retryInMs: delay, error: describe(error) });
        await new Promise((resolve) => setTimeout(resolve, delay));
        await heartbeat();
      }
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof ProblemException) return error.problem.detail ?? error.problem.title;
  return error instanceof Error ? error.message : String(error);
}
