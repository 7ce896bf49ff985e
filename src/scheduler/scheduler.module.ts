import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { dailyReportCron } from './daily-report/daily-report.cron.js';
import { DailyReportTask } from './daily-report/daily-report.task.js';
import { SchedulerLockModule } from './lock/scheduler-lock.module.js';
import { SchedulerMetrics } from './scheduler-metrics.js';
import { ScheduleEvaluator } from './schedules/schedule-evaluator.js';
import { SchedulesController } from './schedules/schedules.controller.js';
import { SchedulesRepository } from './schedules/schedules.repository.js';
import { SchedulesService } from './schedules/schedules.service.js';
import { SchedulesTicker } from './schedules/schedules-ticker.js';

/**
 * Cron jobs, the ShedLock-style lock and persistent schedules. The /schedules API is served everywhere;
 * the timers (daily report, schedule tick) exist only on processes that run the scheduler role.
 */
@Module({})
export class SchedulerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const timers: Provider[] = config.runsScheduler
      ? [SchedulesTicker, dailyReportCron(config.scheduler)]
      : [];
    return {
      module: SchedulerModule,
      imports: [ScheduleModule.forRoot(), JobsModule, SchedulerLockModule],
      controllers: [SchedulesController],
      providers: [
        SchedulesRepository,
        SchedulesService,
        ScheduleEvaluator,
        SchedulerMetrics,
        DailyReportTask,
        ...timers,
      ],
      exports: [SchedulerMetrics, SchedulerLockModule],
    };
  }
}
