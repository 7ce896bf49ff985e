/** One pass of a loop: does its work and says how long to sleep before the next pass. */
export type LoopPass = () => Promise<number>;

/**
 * Runs `pass` now and again after the delay it returns, or earlier when woken. Wake-ups that arrive
 * during a pass are folded into one more pass right after it, so a burst of NOTIFYs costs two passes.
 * A failing pass is reported and retried after `onError`'s delay.
 */
export class WakeLoop {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(
    private readonly pass: LoopPass,
    private readonly onError: (error: unknown) => number,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pass()
      .catch((error: unknown) => this.onError(error))
      .then((sleepMs) => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.sleep(sleepMs);
        }
      });
  }

  private sleep(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }
}
