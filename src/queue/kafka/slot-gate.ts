/** A counting semaphore whose waiters can time out (to heartbeat) and which can be closed on shutdown. */
export class SlotGate {
  private used = 0;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly slots: number) {}

  get inUse(): number {
    return this.used;
  }

  tryAcquire(): boolean {
    if (this.closed) throw new Error('the worker is shutting down');
    if (this.used >= this.slots) return false;
    this.used += 1;
    return true;
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
    this.waiters.shift()?.();
  }

  /** Resolves when a slot may be free or after `timeoutMs`, whichever comes first. */
  waitForSlot(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        resolve();
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  close(): void {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
