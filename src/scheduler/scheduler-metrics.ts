import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';

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

const PROMETHEUS_NAMES: Record<keyof SchedulerCounters, [string, string]> = {
  fires: ['longhaul_schedule_fires_total', 'Jobs created by schedule fires on this node'],
  misfires: ['longhaul_schedule_misfires_total', 'Missed schedule fires found past the grace period'],
  overlapSkips: ['longhaul_schedule_overlap_skips_total', 'Fires skipped because the previous fire was still going'],
  fireErrors: ['longhaul_schedule_fire_errors_total', 'Schedule fires that failed'],
};

/** Scheduler counters of this process, exported at /metrics and readable through `snapshot()`. */
@Injectable()
export class SchedulerMetrics {
  private readonly counters: SchedulerCounters = {
    fires: 0,
    misfires: 0,
    overlapSkips: 0,
    fireErrors: 0,
  };
  private readonly exported: Record<keyof SchedulerCounters, Counter>;

  constructor(metrics: MetricsService) {
    const register = (key: keyof SchedulerCounters) => metrics.counter(...PROMETHEUS_NAMES[key]);
    this.exported = { fires: register('fires'), misfires: register('misfires'), overlapSkips: register('overlapSkips'), fireErrors: register('fireErrors') };
  }

  count(counter: keyof SchedulerCounters, by = 1): void {
    this.counters[counter] += by;
    this.exported[counter].inc(by);
  }

  snapshot(): Readonly<SchedulerCounters> {
    return { ...this.counters };
  }

  get misfires(): number {
    return this.counters.misfires;
  }
}
