export interface PendingProgress {
  attempt: number;
  percent: number;
  message: string | null;
  updatedAt: number;
}

export type ProgressSink = (jobId: string, progress: PendingProgress) => Promise<void>;

/**
 * Keeps only the latest report per job and writes it at most once per interval, so a handler
 * reporting 10,000 times a second costs one write per interval. Percent never goes backwards.
 * A value already written is not written again; `flush` waits for a write still in flight.
 * With `firstWrite: 'after-interval'` a job's first report also waits an interval: a job that ends
 * sooner costs no write at all (its end writes the last value itself).
 */
export class ProgressCoalescer {
  private readonly latest = new Map<string, PendingProgress>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastWritten = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly intervalMs: number,
    private readonly sink: ProgressSink,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
    private readonly firstWrite: 'at-once' | 'after-interval' = 'at-once',
  ) {}

  offer(jobId: string, attempt: number, percent: number, message: string | null): PendingProgress {
    const clamped = Math.max(0, Math.min(100, Math.floor(percent)));
    const previous = this.latest.get(jobId);
    const sameAttempt = previous?.attempt === attempt;
    if (!previous && this.firstWrite === 'after-interval' && !this.lastWritten.has(jobId)) this.lastWritten.set(jobId, this.now());
    const next: PendingProgress = {
      attempt,
      percent: sameAttempt ? Math.max(previous.percent, clamped) : clamped,
      message: message ?? (sameAttempt ? previous.message : null),
      updatedAt: this.now(),
    };
    this.latest.set(jobId, next);
    this.dirty.add(jobId);
    this.schedule(jobId);
    return next;
  }

  peek(jobId: string): PendingProgress | undefined {
    return this.latest.get(jobId);
  }

  async flush(jobId: string): Promise<void> {
    const { progress, needed } = await this.forget(jobId);
    if (progress && needed) await this.sink(jobId, progress);
  }

  /** Forgets the job without writing: returns its latest value for the caller to write itself. */
  async take(jobId: string): Promise<PendingProgress | undefined> {
    return (await this.forget(jobId)).progress;
  }

  private async forget(jobId: string): Promise<{ progress: PendingProgress | undefined; needed: boolean }> {
    this.cancelTimer(jobId);
    await this.inFlight.get(jobId); // a failed write marks its value dirty again
    this.cancelTimer(jobId);
    const progress = this.latest.get(jobId);
    const needed = this.dirty.has(jobId);
    this.latest.delete(jobId);
    this.lastWritten.delete(jobId);
    this.dirty.delete(jobId);
    return { progress, needed };
  }

  private cancelTimer(jobId: string): void {
    const timer = this.timers.get(jobId);
    if (timer) clearTimeout(timer);
    this.timers.delete(jobId);
  }

  private schedule(jobId: string): void {
    if (this.timers.has(jobId)) return;
    const sinceLast = this.now() - (this.lastWritten.get(jobId) ?? 0);
    const delay = Math.max(0, this.intervalMs - sinceLast);
    const timer = setTimeout(() => this.write(jobId), delay);
    timer.unref();
    this.timers.set(jobId, timer);
  }

  private write(jobId: string): void {
    this.timers.delete(jobId);
    const progress = this.latest.get(jobId);
    if (!progress || !this.dirty.has(jobId)) return;
    this.dirty.delete(jobId);
    this.lastWritten.set(jobId, this.now());
    const writing = this.sink(jobId, progress)
      .catch((error: unknown) => {
        if (this.latest.get(jobId) === progress) this.dirty.add(jobId); // flush retries it
        this.onError(error);
      })
      .finally(() => {
        if (this.inFlight.get(jobId) === writing) this.inFlight.delete(jobId);
      });
    this.inFlight.set(jobId, writing);
  }
}
