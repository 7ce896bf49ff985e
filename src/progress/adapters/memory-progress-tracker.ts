import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JobsRepository } from '../../jobs/jobs.repository.js';
import { ProgressCoalescer, type PendingProgress } from '../progress-coalescer.js';
import { JOB_PROGRESSED, ProgressTracker, type ProgressSnapshot } from '../progress-tracker.port.js';

const DB_WRITE_INTERVAL_MS = 500;

/** Embedded profile: the latest value lives in memory and on the job row; events stay in process. */
@Injectable()
export class MemoryProgressTracker extends ProgressTracker {
  private readonly logger = new Logger(MemoryProgressTracker.name);
  private readonly coalescer: ProgressCoalescer;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly emitter: EventEmitter2,
  ) {
    super();
    this.coalescer = new ProgressCoalescer(
      DB_WRITE_INTERVAL_MS,
      (jobId, progress) => this.persist(jobId, progress),
      (error) => this.logger.warn({ msg: 'progress write failed', error: String(error) }),
    );
  }

  report(jobId: string, attempt: number, percent: number, message?: string): void {
    const progress = this.coalescer.offer(jobId, attempt, percent, message ?? null);
    this.emitter.emit(JOB_PROGRESSED, this.snapshot(jobId, progress));
  }

  flush(jobId: string): Promise<void> {
    return this.coalescer.flush(jobId);
  }

  async get(jobId: string): Promise<ProgressSnapshot | null> {
    const pending = this.coalescer.peek(jobId);
    if (pending) return this.snapshot(jobId, pending);
    const job = await this.jobs.findById(jobId);
    if (!job) return null;
    return { jobId, percent: job.progressPercent, message: job.progressMessage, updatedAt: job.updatedAt.toISOString() };
  }

  private snapshot(jobId: string, progress: PendingProgress): ProgressSnapshot {
    return { jobId, percent: progress.percent, message: progress.message, updatedAt: new Date(progress.updatedAt).toISOString() };
  }

  private persist(jobId: string, progress: PendingProgress): Promise<void> {
    return this.jobs.recordProgress(jobId, progress.attempt, progress.percent, progress.message);
  }
}
