import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { AcquiredLock } from '../lock/scheduler-lock.provider.js';
import { SchedulerLock } from '../lock/scheduler-lock.decorator.js';
import { ScheduleEvaluator } from './schedule-evaluator.js';

export const SCHEDULES_TICK_LOCK = 'schedules-tick';

/**
 * Every scheduler node ticks each second; the one that takes `schedules-tick` evaluates the due schedules,
 * the others skip. lockAtMostFor bounds how long a crashed holder stalls schedules; lockAtLeastFor is
 * short so the next second's tick finds the lock free again.
 */
@Injectable()
export class SchedulesTicker {
  constructor(private readonly evaluator: ScheduleEvaluator) {}

  @Interval(SCHEDULES_TICK_LOCK, 1000)
  @SchedulerLock({ name: SCHEDULES_TICK_LOCK, lockAtMostFor: 15_000, lockAtLeastFor: 250 })
  async tick(lock: AcquiredLock): Promise<void> {
    await this.evaluator.evaluateDue(lock);
  }
}
