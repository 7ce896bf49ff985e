import { Injectable, Logger } from '@nestjs/common';
import { CommitHooks } from '../../database/commit-hooks.js';
import { PgNotifications } from '../../database/pg-notifications.js';
import { JobEvents } from '../../jobs/job-events.js';
import { JobChannels } from '../../jobs/job-channels.js';
import { JobsRepository, type ClaimContext } from '../../jobs/jobs.repository.js';
import { JobQueue, type ConsumeOptions, type RunClaimedJob, type Transaction } from '../job-queue.port.js';

/** A missed wake-up (e.g. the process died between a commit and its NOTIFY) waits at most this long. */
const SAFETY_REFILL_MS = 30_000;

/**
 * The embedded profile's queue is the jobs table itself: claims use FOR NO KEY UPDATE SKIP LOCKED,
 * and a NOTIFY sent right after the commit wakes idle dispatchers on every node, so nothing polls.
 */
@Injectable()
export class LocalJobQueue extends JobQueue {
  readonly name = 'local';
  /** `enqueued` only schedules a wake-up; it writes nothing. */
  override readonly enqueueNeedsTransaction = false;
  private readonly logger = new Logger(LocalJobQueue.name);
  private run: RunClaimedJob | null = null;
  private claim: ClaimContext | null = null;
  private claimInFlight: Promise<unknown> | null = null;
  private concurrency = 0;
  private inFlight = 0;
  private filling = false;
  private refillRequested = false;
  private unlisten: (() => void) | null = null;
  private safetyTimer: NodeJS.Timeout | null = null;
  constructor(
    private readonly jobs: JobsRepository,
    private readonly events: JobEvents,
    private readonly notifications: PgNotifications,
    private readonly commitHooks: CommitHooks,
  ) {
    super();
  }

  /** Wakes dispatchers on every node once `tx` commits. */
  enqueued(tx: Transaction): Promise<void> {
    this.commitHooks.afterCommit(tx, this.wake);
    return Promise.resolve();
  }

  private readonly wake = (): void => {
    this.notifications.notify(JobChannels.queued);
    if (this.run) this.fill();
  };

  async startConsuming({ run, concurrency, claim }: ConsumeOptions): Promise<void> {
    this.run = run;
    this.claim = claim;
    this.concurrency = concurrency;
    this.unlisten = await this.notifications.listen(JobChannels.queued, () => this.fill());
    this.safetyTimer = setInterval(() => this.fill(), SAFETY_REFILL_MS);
    this.safetyTimer.unref();
    this.fill();
  }

  /** Resolves once a claim under way has handed its jobs to the runner: none is left RUNNING unrun. */
  async stopConsuming(): Promise<void> {
    this.run = null;
    this.unlisten?.();
    if (this.safetyTimer) clearInterval(this.safetyTimer);
    await this.claimInFlight?.catch(() => undefined);
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
    for (;;) {
      // Captured before claiming: a job claimed while stopConsuming() runs is still handed to the runner.
      const { run, claim } = this;
      if (!run || !claim || this.inFlight >= this.concurrency) return;
      const claiming = this.jobs.claimQueued(this.concurrency - this.inFlight, claim);
      this.claimInFlight = claiming;
      const claimed = await claiming.finally(() => (this.claimInFlight = null));
      if (claimed.length === 0) return;
      this.events.transitionedAll(claimed);
      for (const job of claimed) this.start(job, run);
    }
  }

  private start(job: Parameters<RunClaimedJob>[0], run: RunClaimedJob): void {
    this.inFlight += 1;
    void run(job)
      .catch((error: unknown) => this.logger.error({ msg: 'job run crashed', jobId: job.id, error: String(error) }))
      .finally(() => {
        this.inFlight -= 1;
        this.fill();
      });
  }
}
