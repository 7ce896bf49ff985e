import { Injectable, type Type } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { SchedulerSettings } from '../../config/app-config.js';
import type { AcquiredLock } from '../lock/scheduler-lock.provider.js';
import { SchedulerLock } from '../lock/scheduler-lock.decorator.js';
import { DAILY_REPORT_LOCK, DailyReportTask } from './daily-report.task.js';

/**
 * The code-declared cron (@nestjs/schedule), built from configuration: DAILY_REPORT_CRON in
 * DAILY_REPORT_TIMEZONE, off when DAILY_REPORT_ENABLED=false. Every scheduler node fires it; the
 * `daily-report` lock lets one run it, and lockAtLeastFor covers nodes whose clocks fire a little later.
 */
export function dailyReportCron(settings: SchedulerSettings): Type<unknown> {
  @Injectable()
  class DailyReportCron {
    constructor(private readonly task: DailyReportTask) {}

    @Cron(settings.dailyReportCron, {
      name: 'daily-report',
      timeZone: settings.dailyReportTimezone,
      disabled: !settings.dailyReportEnabled,
    })
    @SchedulerLock({ name: DAILY_REPORT_LOCK, lockAtMostFor: 10 * 60_000, lockAtLeastFor: 30_000 })
    async generateDailyReport(lock: AcquiredLock): Promise<void> {
      await this.task.submitForPreviousDay(lock);
    }
  }
  return DailyReportCron;
}
