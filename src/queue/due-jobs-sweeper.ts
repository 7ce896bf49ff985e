import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { interruptionPolicy } from '../jobs/interruption-policy.js';
import { JobEvents } from '../jobs/job-events.js';
import { JobsRepository } from '../jobs/jobs.repository.js';
import { JobChannels } from '../jobs/job-channels.js';
import { WORKER_ALIVE_MS } from '../jobs/worker-presence.repository.js';
import { JobQueue } from './job-queue.port.js';
import { WakeLoop } from '../common/async/wake-loop.js';

const BATCH = 500;
/** Safety net if a wake-up is missed (e.g. a NOTIFY lost while reconnecting). */
const MAX_SLEEP_MS = 30_000;
const MIN_SLEEP_MS = 20;

/**
 * The timekeeper: moves delayed (PENDING) and retry-scheduled (FAILED) jobs to QUEUED when due,
 * interrupts attempts whose worker stopped heart-beating, buries jobs of a type no live worker
 * runs, and expires jobs not started by their start deadline. Every time it compares is the database's; it sleeps until the next due time.
 * Safe on every node at once: each statement locks with SKIP LOCKED.
 */
@Injectable()
export class DueJobsSweeper {
  private readonly logger = new Logger(DueJobsSweeper.name);
  private readonly loop = new WakeLoop(
    async () => this.sleepFor(await this.sweep()),
    (error) => {
      this.logger.error({ msg: 'sweeping due jobs failed', error: String(error) });
      return 1000;
    },
  );
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueue,
    private readonly events: JobEvents,
    private readonly notifications: PgNotifications,
    private readonly config: AppConfig,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.notifications.listen(JobChannels.due, () => this.loop.wake());
    this.loop.start();
  }

  stop(): void {
    this.unlisten?.();
    this.loop.stop();
  }

  /** One pass; returns the milliseconds until the next job falls due (null: none scheduled). */
  async sweep(): Promise<number | null> {
    const expired = await this.jobs.expireLeases(BATCH, interruptionPolicy(this.config));
    this.events.transitionedAll(expired);
    const unrunnable = await this.jobs.buryUnrunnable(BATCH, this.config.reliability.unrunnableAfterMs, WORKER_ALIVE_MS);
    if (unrunnable.length > 0) {
      this.logger.warn({ msg: 'jobs of a type no live worker runs are DEAD', count: unrunnable.length, types: [...new Set(unrunnable.map((job) => job.type))] });
    }
    this.events.transitionedAll(unrunnable);
    this.events.transitionedAll(await this.jobs.expireUnstarted(BATCH));
    for (;;) {
      const promoted = await this.jobs.transaction(async (tx) => {
        const jobs = await this.jobs.promoteDue(BATCH, tx);
        if (jobs.length > 0) await this.queue.enqueued(tx, jobs);
        return jobs;
      });
      this.events.transitionedAll(promoted);
      if (promoted.length < BATCH) break;
    }
    return this.jobs.nextDueInMs();
  }

  /**
   * Until the next due time, but at most one lease: a job claimed after this pass (on any node) has a
   * lease this pass did not see, so a worker that died is found after about JOB_LEASE_MS.
   */
  private sleepFor(untilDueMs: number | null): number {
    const untilDue = untilDueMs === null ? MAX_SLEEP_MS : Math.max(MIN_SLEEP_MS, untilDueMs + 5);
    return Math.min(untilDue, MAX_SLEEP_MS, this.config.jobLeaseMs);
  }
}
