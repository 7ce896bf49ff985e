import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { JobTransition } from '../jobs/job.js';
import { JobsRepository } from '../jobs/jobs.repository.js';
import type { ProgressChange } from './events/progress-change.js';
import { ProgressEventSource, type ProgressChangeSink } from './events/progress-event-source.js';
import { ProgressTracker, type ProgressSnapshot } from './progress-tracker.port.js';

export interface ProgressListener {
  progress(snapshot: ProgressSnapshot): void;
  /** Every transition of the job so far, oldest first (listeners skip what they already sent). */
  transitions(all: readonly JobTransition[]): void;
}

/**
 * Per-process fan-out of progress and status changes to every open stream: one event source
 * (one Redis subscription) for all of them, streams grouped by job. Work per job runs in order, so a
 * status notice (answered by reading the job's transitions once, not once per stream) and the
 * progress notices after it reach each stream in the order they were published.
 */
@Injectable()
export class ProgressHub implements ProgressChangeSink, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProgressHub.name);
  private readonly listeners = new Map<string, Set<ProgressListener>>();
  private readonly pending = new Map<string, Promise<void>>();
  private listening: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly source: ProgressEventSource,
    private readonly jobs: JobsRepository,
    private readonly tracker: ProgressTracker,
  ) {}

  get streamCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /** API nodes subscribe at boot, so the first stream does not wait for it. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsApi) await this.whenListening();
  }

  /** Resolves once this process receives changes (the shared subscription is up). */
  whenListening(): Promise<void> {
    this.listening ??= this.source.start(this);
    return this.listening;
  }

  subscribe(jobId: string, listener: ProgressListener): () => void {
    void this.whenListening();
    let set = this.listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(jobId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(jobId);
    };
  }

  change(change: ProgressChange): void {
    switch (change.kind) {
      case 'progress': {
        const { snapshot } = change;
        if (!this.listeners.has(snapshot.jobId)) return;
        if (this.pending.has(snapshot.jobId))
          this.enqueue(snapshot.jobId, () => this.deliverProgress(snapshot));
        else this.deliverProgress(snapshot);
        return;
      }
      case 'status':
        if (this.listeners.has(change.jobId))
          this.enqueue(change.jobId, () => this.readTransitions(change.jobId));
        return;
      case 'resync':
        this.resync();
        return;
    }
  }

  resync(): void {
    for (const jobId of this.listeners.keys()) {
      this.enqueue(jobId, async () => {
        await this.readTransitions(jobId);
        const live = await this.tracker.get(jobId);
        if (live) this.deliverProgress(live);
      });
    }
  }

  onModuleDestroy(): void {
    this.source.stop();
  }

  private enqueue(jobId: string, work: () => Promise<void> | void): void {
    const previous = this.pending.get(jobId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'progress fan-out failed', jobId, error: String(error) }),
      )
      .finally(() => {
        if (this.pending.get(jobId) === next) this.pending.delete(jobId);
      });
    this.pending.set(jobId, next);
  }

  private async readTransitions(jobId: string): Promise<void> {
    if (!this.listeners.has(jobId)) return;
    const transitions = await this.jobs.transitions(jobId);
    this.each(jobId, (listener) => listener.transitions(transitions));
  }

  /** The hot path of fan-out: a plain loop, no closure per delivery. */
  private deliverProgress(snapshot: ProgressSnapshot): void {
    const set = this.listeners.get(snapshot.jobId);
    if (!set) return;
    for (const listener of set) {
      try {
        listener.progress(snapshot);
      } catch (error) {
        this.logger.warn({
          msg: 'progress listener failed',
          jobId: snapshot.jobId,
          error: String(error),
        });
      }
    }
  }

  private each(jobId: string, deliver: (listener: ProgressListener) => void): void {
    const set = this.listeners.get(jobId);
    if (!set) return;
    for (const listener of set) {
      try {
        deliver(listener);
      } catch (error) {
        this.logger.warn({ msg: 'progress listener failed', jobId, error: String(error) });
      }
    }
  }
}
