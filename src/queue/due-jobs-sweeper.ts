import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { JobEvents } from '../jobs/job-events.js';
import { JobsRepository } from '../jobs/jobs.repository.js';
import { JobChannels } from '../jobs/job-channels.js';
import { JobQueue } from './job-queue.port.js';
import { WakeLoop } from '../common/async/wake-loop.js';

const BATCH = 500;
/** Safety net if a wake-up is missed (e.g. a NOTIFY lost while reconnecting). */
const MAX_SLEEP_MS = 30_000;

/**
 * The timekeeper: moves delayed (PENDING) and retry-scheduled (FAILED) jobs to QUEUED when due,
 * and fails attempts whose worker stopped heart-beating. Sleeps until the next due time.
 * Safe on every node at once: each statement locks with SKIP LOCKED.
 */
@Injectable()
export class DueJobsSweeper {
  private readonly logger = new Logger(DueJobsSweeper.name);
  private readonly loop = new WakeLoop(
    async () => this.sleepAfter(await this.sweep()),
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

  /** One pass; returns when the next job falls due. */
  async sweep(): Promise<Date | null> {
    const expired = await this.jobs.expireLeases(BATCH);
    this.events.transitionedAll(expired);
    for (;;) {
      const promoted = await this.jobs.transaction(async (tx) => {
        const jobs = await this.jobs.promoteDue(BATCH, tx);
        if (jobs.length > 0) await this.queue.enqueued(tx, jobs);
        return jobs;
      });
      this.events.transitionedAll(promoted);
      if (promoted.length < BATCH) break;
    }
    return this.jobs.nextDueAt();
  }

  /**
   * Until the next due time, but at most one lease: a job claimed after this pass (on any node) has a
   * lease this pass did not see, so a worker that died is found after about JOB_LEASE_MS.
   */
  private sleepAfter(nextDueAt: Date | null): number {
    const untilDue = nextDueAt ? Math.max(20, nextDueAt.getTime() - Date.now() + 5) : MAX_SLEEP_MS;
    return Math.min(untilDue, MAX_SLEEP_MS, this.config.jobLeaseMs);
  }
}
