import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../../config/app-config.js';
import { backoffDelay, type RetryRules } from '../domain/retry-decision.js';
import type { DeliveryToSend } from '../webhook.types.js';
import { WebhooksRepository, type EnqueuedDelivery, type StartRequest } from '../webhooks.repository.js';
import { DeliveryAttemptRunner } from './delivery-attempt.js';
import { WebhookDeliveryQueue } from './delivery-queue.port.js';
import { MicroBatcher } from '../../common/async/micro-batcher.js';
import { Semaphore } from './semaphore.js';

export const WEBHOOK_QUEUE = 'webhook-deliveries';
export const WEBHOOK_BACKOFF = 'webhook';
/** Rows older than this and still not handed to Bull were orphaned by a crash; hand them over again. */
const HANDOFF_GRACE_MS = 10_000;
/** Bull states in which a job will still run (or is running); any other state, or no job, means the row is stuck. */
const LIVE_STATES = ['active', 'waiting', 'delayed', 'paused'];

export interface WebhookJobData {
  deliveryId: string;
  round: number;
}

/** Thrown to let Bull schedule the next attempt; the backoff strategy reads `delayMs`. */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'RetryLater';
  }
}

/** Thrown (with the job discarded) when the retry rules say stop: Bull records it as failed. */
export class FinalFailure extends Error {
  readonly final = true;
  constructor(reason: string) {
    super(reason);
    this.name = 'FinalFailure';
  }
}

/**
 * The `settings.backoffStrategies` entry: the wait the retry rules chose (schedule, jitter,
 * Retry-After), or the schedule itself if an attempt crashed; -1 stops retrying.
 */
export function webhookBackoffStrategy(rules: Pick<RetryRules, 'backoffMs' | 'jitter'>) {
  return (attemptsMade: number, error?: Error): number => {
    if (error instanceof FinalFailure || (error as { final?: boolean } | undefined)?.final) return -1;
    if (error instanceof RetryLater) return Math.max(1, error.delayMs);
    return Math.max(1, backoffDelay(attemptsMade, rules));
  };
}

export function webhookJobId(delivery: EnqueuedDelivery): string {
  return `${delivery.id}.r${delivery.round}`;
}

/**
 * With REDIS_URL: Bull owns the schedule (attempts + the custom backoff). The row in PostgreSQL
 * is written first and is the source of truth for the log; a reconciler re-hands rows that
 * were committed but never reached Redis. Job ids are derived from (delivery, round), so a
 * second add of the same delivery is a no-op.
 */
@Injectable()
export class BullDeliveryQueue extends WebhookDeliveryQueue {
  readonly name = 'bull';
  private readonly logger = new Logger(BullDeliveryQueue.name);
  private reconcileTimer: NodeJS.Timeout | null = null;
  private readonly recording = new Set<Promise<void>>();
  private sending = new Semaphore(1);
  private consuming = false;
  /** Attempts starting together read and mark their rows in one statement. */
  private readonly starts = new MicroBatcher<StartRequest, DeliveryToSend | null>(async (requests) => {
    const started = new Map((await this.repository.startAttempts(requests)).map((delivery) => [delivery.id, delivery]));
    return requests.map((request) => started.get(request.id) ?? null);
  });

  constructor(
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue<WebhookJobData>,
    private readonly repository: WebhooksRepository,
    private readonly runner: DeliveryAttemptRunner,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async enqueued(deliveries: readonly EnqueuedDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((delivery) => ({
        data: { deliveryId: delivery.id, round: delivery.round },
        opts: {
          jobId: webhookJobId(delivery),
          attempts: this.config.webhooks.maxAttempts,
          backoff: { type: WEBHOOK_BACKOFF },
          removeOnComplete: true,
          removeOnFail: { count: 5000 },
        },
      })),
    );
    await this.repository.markHandedOff(deliveries.map((delivery) => delivery.id));
  }

  async startConsuming(concurrency: number): Promise<void> {
    this.consuming = true;
    // Twice as many Bull slots as HTTP requests in flight: a slot's Redis and PostgreSQL round-trips
    // overlap other slots' requests, while receivers still see at most `concurrency` at once.
    this.sending = new Semaphore(concurrency);
    void this.queue.process(2 * concurrency, (job: Job<WebhookJobData>) => this.process(job)).catch((error: unknown) => {
      if (this.consuming) this.logger.error({ msg: 'webhook queue processing stopped', error: String(error) });
    });
    await this.reconcile();
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.config.webhooks.reconcileIntervalMs);
    this.reconcileTimer.unref();
  }

  async stopConsuming(): Promise<void> {
    this.consuming = false;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    // Local pause: stop fetching and wait for attempts in flight; the queue itself closes on shutdown.
    await this.queue.pause(true).catch(() => undefined);
    await Promise.allSettled([...this.recording]);
  }

  private async process(job: Job<WebhookJobData>): Promise<void> {
    const delivery = await this.starts.submit({ id: job.data.deliveryId, round: job.data.round, roundAttempt: job.attemptsMade + 1 });
    if (!delivery) return;
    const { verdict, recorded } = await this.sending.run(() => this.runner.attempt(delivery));
    switch (verdict.outcome) {
      case 'delivered':
      case 'skipped':
        this.whileRecording(delivery.id, recorded);
        return;
      case 'retry':
        // Bull may start the next attempt as soon as this throws: its log entry must be in first.
        await recorded;
        throw new RetryLater(verdict.delayMs, verdict.reason);
      case 'failed':
        await recorded;
        await job.discard();
        throw new FinalFailure(verdict.reason);
    }
  }

  /** Nothing follows a delivered attempt, so its log write need not hold the Bull slot. */
  private whileRecording(deliveryId: string, recorded: Promise<boolean>): void {
    const tracked: Promise<void> = recorded
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ msg: 'recording a webhook attempt failed', deliveryId, error: String(error) }))
      .finally(() => this.recording.delete(tracked));
    this.recording.add(tracked);
  }

  private async reconcile(): Promise<void> {
    try {
      const orphans = await this.repository.findNotHandedOff(HANDOFF_GRACE_MS, 500);
      if (orphans.length > 0) {
        await this.enqueued(orphans);
        this.logger.log({ msg: 'handed orphaned webhook deliveries to the queue', count: orphans.length });
      }
      await this.rescueStuck();
    } catch (error) {
      this.logger.error({ msg: 'reconciling webhook deliveries failed', error: String(error) });
    }
  }

  /** A row stuck `delivering` or overdue `pending` whose Bull job is gone or finished is handed over anew. */
  private async rescueStuck(): Promise<void> {
    // Well past any attempt in flight (one attempt lasts at most WEBHOOK_TIMEOUT_MS).
    const staleMs = 3 * this.config.webhooks.timeoutMs + 5000;
    const rescued: EnqueuedDelivery[] = [];
    for (const delivery of await this.repository.findStuckHandedOff(staleMs, 200)) {
      const job = await this.queue.getJob(webhookJobId(delivery));
      if (job && LIVE_STATES.includes(await job.getState())) continue;
      await job?.remove();
      rescued.push(delivery);
    }
    if (rescued.length === 0) return;
    await this.enqueued(rescued);
    this.logger.warn({ msg: 'handed stuck webhook deliveries to the queue again', count: rescued.length });
  }
}
