import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { backoffDelay, type RetrySchedule } from '../../common/retry/backoff.js';
import { MicroBatcher } from '../../common/async/micro-batcher.js';
import {
  DeliveryQueue,
  type ClaimedDelivery,
  type DeliveryAttempts,
  type DeliveryQueueSettings,
  type DeliveryRows,
  type QueuedDelivery,
  type StartRequest,
} from './delivery-queue.port.js';
import { Semaphore } from './semaphore.js';

/** The name of the Bull backoff strategy every delivery queue registers (see `deliveryBackoffStrategy`). */
export const DELIVERY_BACKOFF = 'delivery';
/** Rows older than this and still not handed to Bull were orphaned by a crash; hand them over again. */
const HANDOFF_GRACE_MS = 10_000;
/** Bull states in which a job will still run (or is running); any other state, or no job, means the row is stuck. */
const LIVE_STATES = ['active', 'waiting', 'delayed', 'paused'];

export interface DeliveryJobData {
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
export function deliveryBackoffStrategy(rules: RetrySchedule) {
  return (attemptsMade: number, error?: Error): number => {
    if (error instanceof FinalFailure || (error as { final?: boolean } | undefined)?.final) return -1;
    if (error instanceof RetryLater) return Math.max(1, error.delayMs);
    return Math.max(1, backoffDelay(attemptsMade, rules));
  };
}

export function deliveryJobId(delivery: QueuedDelivery): string {
  return `${delivery.id}.r${delivery.round}`;
}

/**
 * With REDIS_URL: Bull owns the schedule (attempts + the custom backoff). The row in PostgreSQL
 * is written first and is the source of truth for the log; a reconciler re-hands rows that
 * were committed but never reached Redis. Job ids are derived from (delivery, round), so a
 * second add of the same delivery is a no-op.
 */
export class BullDeliveryQueue<T extends ClaimedDelivery> extends DeliveryQueue {
  readonly name = 'bull';
  private readonly logger: Logger;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private readonly recording = new Set<Promise<void>>();
  private sending = new Semaphore(1);
  private consuming = false;
  /** Attempts starting together read and mark their rows in one statement. */
  private readonly starts = new MicroBatcher<StartRequest, T | null>(async (requests) => {
    const started = new Map((await this.repository.startAttempts(requests)).map((delivery) => [delivery.id, delivery]));
    return requests.map((request) => started.get(request.id) ?? null);
  });

  constructor(
    private readonly settings: DeliveryQueueSettings,
    private readonly queue: Queue<DeliveryJobData>,
    private readonly repository: DeliveryRows<T>,
    private readonly runner: DeliveryAttempts<T>,
  ) {
    super();
    this.logger = new Logger(`BullDeliveryQueue:${settings.channel}`);
  }

  async enqueued(deliveries: readonly QueuedDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((delivery) => ({
        data: { deliveryId: delivery.id, round: delivery.round },
        opts: {
          jobId: deliveryJobId(delivery),
          attempts: this.settings.maxAttempts,
          backoff: { type: DELIVERY_BACKOFF },
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
    void this.queue.process(2 * concurrency, (job: Job<DeliveryJobData>) => this.process(job)).catch((error: unknown) => {
      if (this.consuming) this.logger.error({ msg: 'delivery queue processing stopped', error: String(error) });
    });
    await this.reconcile();
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.settings.reconcileIntervalMs);
    this.reconcileTimer.unref();
  }

  async stopConsuming(): Promise<void> {
    this.consuming = false;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    // Local pause: stop fetching and wait for attempts in flight; the queue itself closes on shutdown.
    await this.queue.pause(true).catch(() => undefined);
    await Promise.allSettled([...this.recording]);
  }

  private async process(job: Job<DeliveryJobData>): Promise<void> {
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
      .catch((error: unknown) => this.logger.error({ msg: 'recording a delivery attempt failed', deliveryId, error: String(error) }))
      .finally(() => this.recording.delete(tracked));
    this.recording.add(tracked);
  }

  private async reconcile(): Promise<void> {
    try {
      const orphans = await this.repository.findNotHandedOff(HANDOFF_GRACE_MS, 500);
      if (orphans.length > 0) {
        await this.enqueued(orphans);
        this.logger.log({ msg: 'handed orphaned deliveries to the queue', count: orphans.length });
      }
      await this.rescueStuck();
    } catch (error) {
      this.logger.error({ msg: 'reconciling deliveries failed', error: String(error) });
    }
  }

  /** A row stuck `delivering` or overdue `pending` whose Bull job is gone or finished is handed over anew. */
  private async rescueStuck(): Promise<void> {
    // Well past any attempt in flight (one attempt lasts at most its time budget).
    const staleMs = 3 * this.settings.attemptTimeoutMs + 5000;
    const rescued: QueuedDelivery[] = [];
    for (const delivery of await this.repository.findStuckHandedOff(staleMs, 200)) {
      const job = await this.queue.getJob(deliveryJobId(delivery));
      if (job && LIVE_STATES.includes(await job.getState())) continue;
      await job?.remove();
      rescued.push(delivery);
    }
    if (rescued.length === 0) return;
    await this.enqueued(rescued);
    this.logger.warn({ msg: 'handed stuck deliveries to the queue again', count: rescued.length });
  }
}
