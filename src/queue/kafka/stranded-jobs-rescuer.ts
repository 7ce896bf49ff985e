import { Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { WakeLoop } from '../../common/async/wake-loop.js';
import type { JobEvents } from '../../jobs/job-events.js';
import type { ClaimContext, JobsRepository, TransitionedJob } from '../../jobs/jobs.repository.js';
import type { Job } from '../../jobs/job.js';
import type { SlotGate } from './slot-gate.js';

const MIN_INTERVAL_MS = 250;
const MAX_INTERVAL_MS = 2000;

export interface RescuerDeps {
  jobs: JobsRepository;
  events: JobEvents;
  gate: SlotGate;
  claim: ClaimContext;
  dispatchTimeoutMs: number;
  start(job: Job): void;
  rescued: Counter;
}

/**
 * The database is the queue of record; Kafka only carries the news. While this worker has free slots
 * it claims, straight from PostgreSQL, QUEUED jobs of its types that no dispatch reached within
 * JOB_DISPATCH_TIMEOUT_MS: a lost or never-sent message, a partition paused on a busy member, a
 * dispatch consumed by a node without the handler. So no job is stranded and an idle member takes
 * work a busy one cannot.
 */
export class StrandedJobsRescuer {
  private readonly logger = new Logger(StrandedJobsRescuer.name);
  private readonly interval: number;
  private readonly loop = new WakeLoop(
    async () => {
      await this.rescue();
      return this.interval;
    },
    (error) => {
      this.logger.warn({ msg: 'rescuing stranded jobs failed', error: String(error) });
      return this.interval;
    },
  );

  constructor(private readonly deps: RescuerDeps) {
    this.interval = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.floor(deps.dispatchTimeoutMs / 4)));
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  private async rescue(): Promise<void> {
    const { gate } = this.deps;
    let slots = 0;
    while (gate.tryAcquire()) slots += 1;
    if (slots === 0) return;
    let claimed: TransitionedJob[] = [];
    try {
      claimed = await this.deps.jobs.claimStranded(slots, this.deps.dispatchTimeoutMs, this.deps.claim);
    } finally {
      for (let unused = slots - claimed.length; unused > 0; unused -= 1) gate.release();
    }
    if (claimed.length === 0) return;
    this.deps.rescued.inc(claimed.length);
    this.logger.log({ msg: 'claimed stranded jobs from the database', count: claimed.length });
    this.deps.events.transitionedAll(claimed);
    for (const job of claimed) this.deps.start(job);
  }
}
