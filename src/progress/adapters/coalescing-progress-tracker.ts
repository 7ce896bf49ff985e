import { Logger } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { ProgressSettings } from '../../config/app-config.js';
import type { JobsRepository } from '../../jobs/jobs.repository.js';
import { ProgressCoalescer, type PendingProgress } from '../progress-coalescer.js';
import {
  JOB_PROGRESSED,
  ProgressTracker,
  type ProgressSnapshot,
} from '../progress-tracker.port.js';

const WARN_EVERY_MS = 10_000;

/**
 * Both adapters share this: reports are coalesced twice, into a fast live write (Redis hash or memory,
 * plus a change event) and a slower job-row write (so status survives losing the live store; a job
 * shorter than the row interval never writes it: its completion or failure records the last value).
 * A report costs a map update; the writes happen on timers, at most once per interval per job.
 */
export abstract class CoalescingProgressTracker extends ProgressTracker {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly live: ProgressCoalescer;
  private readonly row: ProgressCoalescer;
  private lastWarnAt = 0;

  protected constructor(
    settings: ProgressSettings,
    private readonly jobs: JobsRepository,
    private readonly emitter: EventEmitter2,
  ) {
    super();
    this.live = new ProgressCoalescer(
      settings.liveIntervalMs,
      (jobId, p) => this.publishLive(jobId, p),
      (e) => this.warn('live progress write failed', e),
    );
    this.row = new ProgressCoalescer(
      settings.rowIntervalMs,
      (jobId, p) => this.jobs.recordProgress(jobId, p.attempt, p.percent, p.message),
      (e) => this.warn('progress row write failed', e),
      Date.now,
      'after-interval',
    );
  }

  /** Writes the value to the live store and announces it; returns what was stored, or null when nothing changed. */
  protected abstract writeLive(
    jobId: string,
    progress: PendingProgress,
  ): Promise<ProgressSnapshot | null>;

  report(jobId: string, attempt: number, percent: number, message?: string): void {
    if (!Number.isFinite(percent)) return;
    this.live.offer(jobId, attempt, percent, message ?? null);
    this.row.offer(jobId, attempt, percent, message ?? null);
  }

  async flush(jobId: string): Promise<void> {
    // The live store is optional: its failure must not fail the attempt. The row write may throw.
    await this.live
      .flush(jobId)
      .catch((error: unknown) => this.warn('live progress flush failed', error));
    await this.row.flush(jobId);
  }

  async settle(jobId: string): Promise<{ message: string | null } | null> {
    await this.live
      .flush(jobId)
      .catch((error: unknown) => this.warn('live progress flush failed', error));
    const last = await this.row.take(jobId);
    return last ? { message: last.message } : null;
  }

  private async publishLive(jobId: string, progress: PendingProgress): Promise<void> {
    const snapshot = await this.writeLive(jobId, progress);
    if (snapshot) this.emitter.emit(JOB_PROGRESSED, snapshot);
  }

  protected warn(msg: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn({ msg, error: error instanceof Error ? error.message : String(error) });
  }
}
