import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { JobEvents } from '../jobs/job-events.js';
import { JobsRepository } from '../jobs/jobs.repository.js';
import { JobChannels } from '../jobs/job-channels.js';
import { JobQueue } from './job-queue.port.js';

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
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = true;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueue,
    private readonly events: JobEvents,
    private readonly notifications: PgNotifications,
    private readonly config: AppConfig,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.notifications.listen(JobChannels.due, () => this.wake());
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    this.unlisten?.();
    if (this.timer) clearTimeout(this.timer);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.sweep()
      .catch((error: unknown) => {
        this.logger.error({ msg: 'sweeping due jobs failed', error: String(error) });
        return new Date(Date.now() + 1000);
      })
      .then((nextDueAt) => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.sleepUntil(nextDueAt);
        }
      });
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

  private sleepUntil(nextDueAt: Date | null): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = nextDueAt ? Math.max(20, nextDueAt.getTime() - Date.now() + 5) : MAX_SLEEP_MS;
    // A job claimed after this pass (on any node) has a lease this pass did not see: look again within one
    // lease, so a worker that died is found after about JOB_LEASE_MS, not after MAX_SLEEP_MS.
    this.timer = setTimeout(() => this.wake(), Math.min(wait, MAX_SLEEP_MS, this.config.jobLeaseMs));
    this.timer.unref();
  }
}
