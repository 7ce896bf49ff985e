import { Injectable } from '@nestjs/common';

export interface SchedulerCounters {
  /** Jobs created by schedule fires on this node (catch-up fires included). */
  fires: number;
  /** Missed fires found past the grace period on this node (each flags its schedule). */
  misfires: number;
  /** Fires skipped because the previous fire's job was still going (overlapPolicy skip). */
  overlapSkips: number;
  /** Fires that failed (e.g. the job type is no longer registered); the schedule stays due. */
  fireErrors: number;
}

/** Process-local scheduler counters; a metrics module can read them through `snapshot()`. */
@Injectable()
export class SchedulerMetrics {
  private readonly counters: SchedulerCounters = {
    fires: 0,
    misfires: 0,
    overlapSkips: 0,
    fireErrors: 0,
  };

  count(counter: keyof SchedulerCounters, by = 1): void {
    this.counters[counter] += by;
  }

  snapshot(): Readonly<SchedulerCounters> {
    return { ...this.counters };
  }

  get misfires(): number {
    return this.counters.misfires;
  }
}
