import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { PgNotifications } from '../../database/pg-notifications.js';
import { JobEvents } from '../../jobs/job-events.js';
import { JobChannels } from '../../jobs/job-channels.js';
import { JobsRepository } from '../../jobs/jobs.repository.js';
import { JobQueue, type ConsumeOptions, type RunClaimedJob, type Transaction } from '../job-queue.port.js';
import { workerId } from '../worker-id.js';

/**
 * The embedded profile's queue is the jobs table itself: claims use FOR UPDATE SKIP LOCKED,
 * and NOTIFY (sent on commit) wakes idle dispatchers on every node, so nothing polls.
 */
@Injectable()
export class LocalJobQueue extends JobQueue {
  readonly name = 'local';
  private readonly logger = new Logger(LocalJobQueue.name);
  private run: RunClaimedJob | null = null;
  private concurrency = 0;
  private inFlight = 0;
  private filling = false;
  private refillRequested = false;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly events: JobEvents,
    private readonly notifications: PgNotifications,
  ) {
    super();
  }

  async enqueued(tx: Transaction): Promise<void> {
    await tx.query(`SELECT pg_notify($1, '')`, [JobChannels.queued]);
  }

  async startConsuming({ run, concurrency }: ConsumeOptions): Promise<void> {
    this.run = run;
    this.concurrency = concurrency;
    this.unlisten = await this.notifications.listen(JobChannels.queued, () => this.fill());
    this.fill();
  }

  stopConsuming(): Promise<void> {
    this.run = null;
    this.unlisten?.();
    return Promise.resolve();
  }

  private fill(): void {
    if (this.filling) {
      this.refillRequested = true;
      return;
    }
    this.filling = true;
    void this.claimWhileCapacity()
      .catch((error: unknown) => this.logger.error({ msg: 'claiming jobs failed', error: String(error) }))
      .finally(() => {
        this.filling = false;
        if (this.refillRequested) {
          this.refillRequested = false;
          this.fill();
        }
      });
  }

  private async claimWhileCapacity(): Promise<void> {
    while (this.run && this.inFlight < this.concurrency) {
      const claimed = await this.jobs.claimDue(this.concurrency - this.inFlight, this.config.jobLeaseMs, workerId);
      if (claimed.length === 0) return;
      this.events.transitionedAll(claimed);
      for (const job of claimed) this.start(job);
    }
  }

  private start(job: Parameters<RunClaimedJob>[0]): void {
    const run = this.run;
    if (!run) return;
    this.inFlight += 1;
    void run(job)
      .catch((error: unknown) => this.logger.error({ msg: 'job run crashed', jobId: job.id, error: String(error) }))
      .finally(() => {
        this.inFlight -= 1;
        this.fill();
      });
  }
}
