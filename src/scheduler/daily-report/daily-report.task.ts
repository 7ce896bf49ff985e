import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { Job } from '../../jobs/job.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { previousDayWindow } from '../domain/previous-day-window.js';
import type { AcquiredLock } from '../lock/scheduler-lock.provider.js';
import { SCHEDULER_OWNER } from '../schedules/schedule-fire.js';
import { CROSS_TENANT } from '../../common/tenant.js';

export const DAILY_REPORT_LOCK = 'daily-report';

/** The seed's generateDailyReport: a `report` job over the previous calendar day, one per day across all nodes. */
@Injectable()
export class DailyReportTask {
  private readonly logger = new Logger('DailyReport');

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {}

  async submitForPreviousDay(lock: AcquiredLock, at: Date = new Date()): Promise<Job> {
    const window = previousDayWindow(at, this.config.scheduler.dailyReportTimezone);
    const { job, created } = await this.jobs.submit({
      type: 'report',
      payload: {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        format: 'json',
        groupBy: 'type',
      },
      owner: SCHEDULER_OWNER,
      tenant: CROSS_TENANT, // the report covers every tenant: admins only
      // The day names the job: a second node (or a second fire the same day) finds this one.
      idempotencyKey: `daily-report:${window.day}`,
      fencingToken: { lockName: lock.name, token: lock.fencingToken },
    });
    this.logger.log({
      msg: created ? 'daily report submitted' : 'daily report already submitted',
      day: window.day,
      jobId: job.id,
    });
    return job;
  }
}
