/**
 * A counting semaphore for the worker's run slots, shared by the Kafka dispatch path and the rescuer.
 * Nobody waits on it: a caller that finds no free slot registers `onRelease` (to resume a paused
 * partition) and moves on. Closed on shutdown.
 */
export class SlotGate {
  private used = 0;
  private releaseListeners: Array<() => void> = [];
  private closed = false;

  constructor(private readonly slots: number) {}

  get inUse(): number {
    return this.used;
  }

  get free(): number {
    return this.closed ? 0 : this.slots - this.used;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  tryAcquire(): boolean {
    if (this.closed || this.used >= this.slots) return false;
    this.used += 1;
    return true;
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
    for (const listener of this.releaseListeners.splice(0)) listener();
  }

  /** Calls `listener` once, at the next release (or at once if a slot is free now). */
  onRelease(listener: () => void): void {
    if (this.free > 0) listener();
    else this.releaseListeners.push(listener);
  }

  /** True once a slot is free (at the next release, or now), false after `timeoutMs` without one. */
  waitForRelease(timeoutMs: number): Promise<boolean> {
    if (this.free > 0) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        resolve(false);
      }, timeoutMs);
      this.onRelease(() => {
        if (settled) return;
        clearTimeout(timer);
        resolve(!this.closed);
      });
    });
  }

  close(): void {
    this.closed = true;
    for (const listener of this.releaseListeners.splice(0)) listener();
  }
}
