import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { ProgressSettings } from '../../config/app-config.js';
import type { JobsRepository } from '../../jobs/jobs.repository.js';
import type { PendingProgress } from '../progress-coalescer.js';
import type { ProgressSnapshot } from '../progress-tracker.port.js';
import { CoalescingProgressTracker } from './coalescing-progress-tracker.js';

/** Embedded profile: the live value lives in this process (and on the job row); events stay in process. */
export class MemoryProgressTracker extends CoalescingProgressTracker {
  private readonly latest = new Map<string, ProgressSnapshot>();

  constructor(settings: ProgressSettings, jobs: JobsRepository, emitter: EventEmitter2) {
    super(settings, jobs, emitter);
  }

  get(jobId: string): Promise<ProgressSnapshot | null> {
    return Promise.resolve(this.latest.get(jobId) ?? null);
  }

  override async flush(jobId: string): Promise<void> {
    await super.flush(jobId);
    // The attempt is over and the row holds the final value; keep memory bounded by running jobs.
    this.latest.delete(jobId);
  }

  override async settle(jobId: string): Promise<{ message: string | null } | null> {
    const last = await super.settle(jobId);
    this.latest.delete(jobId);
    return last;
  }

  protected writeLive(jobId: string, progress: PendingProgress): Promise<ProgressSnapshot | null> {
    const current = this.latest.get(jobId);
    if (current && current.attempt > progress.attempt) return Promise.resolve(null);
    const sameAttempt = current?.attempt === progress.attempt;
    const percent = sameAttempt ? Math.max(current.percent, progress.percent) : progress.percent;
    if (sameAttempt && percent === current.percent && progress.message === current.message)
      return Promise.resolve(null);
    const snapshot: ProgressSnapshot = {
      jobId,
      attempt: progress.attempt,
      percent,
      message: progress.message,
      updatedAt: new Date(progress.updatedAt).toISOString(),
      version: Math.max(progress.updatedAt, (current?.version ?? 0) + 1),
    };
    this.latest.set(jobId, snapshot);
    return Promise.resolve(snapshot);
  }
}
