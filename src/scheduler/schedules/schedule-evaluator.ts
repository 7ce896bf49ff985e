import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { ProblemException } from '../../common/problem/problem.exception.js';
import { isTerminal } from '../../jobs/domain/job-state-machine.js';
import { StaleFencingTokenError } from '../lock/stale-fencing-token.error.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { CronSchedule } from '../domain/cron-schedule.js';
import { planFires, skipForOverlap, type PlannedFire } from '../domain/misfire-policy.js';
import type { AcquiredLock } from '../lock/scheduler-lock.provider.js';
import { SchedulerMetrics } from '../scheduler-metrics.js';
import type { Schedule } from './schedule.js';
import { scheduleFireKey, SCHEDULER_OWNER } from './schedule-fire.js';
import { SchedulesRepository } from './schedules.repository.js';
import { ALL_TENANTS } from '../../tenancy/tenant-scope.js';

/** Schedules looked at per evaluation; the rest stay due for the next one. */
const BATCH = 100;
/** Late (but not missed) fires made for one schedule per evaluation. */
const MAX_FIRES_PER_SCHEDULE = 20;

/**
 * Fires due schedules. Called only by the holder of the `schedules-tick` lock, whose fencing token
 * guards every job it creates and every schedule it moves: a node that lost the lock can do neither.
 */
@Injectable()
export class ScheduleEvaluator {
  private readonly logger = new Logger(ScheduleEvaluator.name);

  constructor(
    private readonly config: AppConfig,
    private readonly schedules: SchedulesRepository,
    private readonly jobs: JobsService,
    private readonly metrics: SchedulerMetrics,
  ) {}

  async evaluateDue(lock: AcquiredLock): Promise<void> {
    for (const schedule of await this.schedules.findDue(BATCH)) {
      try {
        await this.evaluate(schedule, lock);
      } catch (error) {
        if (error instanceof StaleFencingTokenError) {
          this.logger.warn({
            msg: 'scheduler lock lost during evaluation; stopping',
            lock: lock.name,
            fencingToken: lock.fencingToken,
          });
          return;
        }
        this.metrics.count('fireErrors');
        const message =
          error instanceof ProblemException
            ? `${error.problem.title}: ${error.problem.detail ?? ''}`
            : String(error);
        if (message !== schedule.lastError) {
          this.logger.warn({
            msg: 'schedule fire failed; it stays due',
            scheduleId: schedule.id,
            name: schedule.name,
            error: message,
          });
        }
        await this.schedules.recordFireError(schedule, message.slice(0, 1000), lock);
      }
    }
  }

  private async evaluate(schedule: Schedule, lock: AcquiredLock): Promise<void> {
    if (!schedule.nextFireTime) return;
    const plan = planFires(
      {
        nextFireTime: schedule.nextFireTime,
        now: schedule.readAt,
        graceMs: this.config.scheduler.misfireGraceMs,
        misfirePolicy: schedule.misfirePolicy,
        maxFires: MAX_FIRES_PER_SCHEDULE,
      },
      CronSchedule.parse(schedule.cron, schedule.timezone),
    );
    if (plan.misfire) {
      this.metrics.count('misfires');
      this.logger.warn({
        msg: 'schedule misfired',
        scheduleId: schedule.id,
        name: schedule.name,
        firstMissed: plan.misfire.firstMissed.toISOString(),
        lateByMs: plan.misfire.lateByMs,
        policy: schedule.misfirePolicy,
      });
    }

    let lastJobId = schedule.lastJobId;
    let lastFireTime: Date | null = null;
    let firedOnTime = false;
    for (const fire of plan.fires) {
      if (skipForOverlap(schedule.overlapPolicy, await this.previousJobFinished(lastJobId))) {
        this.metrics.count('overlapSkips');
        continue;
      }
      lastJobId = await this.fire(schedule, fire, lock);
      lastFireTime = fire.fireTime;
      firedOnTime ||= !fire.catchUp;
    }

    await this.schedules.recordEvaluation(
      schedule,
      {
        nextFireTime: plan.nextFireTime,
        lastFireTime,
        lastJobId: lastFireTime ? lastJobId : null,
        misfireDetectedAt: plan.misfire ? schedule.readAt : null,
        firedOnTime,
        error: null,
      },
      lock,
    );
  }

  /** Creates the fire's job (or finds the one another node made for the same fire); returns its id. */
  private async fire(schedule: Schedule, fire: PlannedFire, lock: AcquiredLock): Promise<string> {
    const idempotencyKey = scheduleFireKey(schedule.id, fire.fireTime);
    try {
      const { job, created } = await this.jobs.submit({
        type: schedule.job.type,
        payload: schedule.job.payload,
        priority: schedule.job.priority,
        maxAttempts: schedule.job.maxAttempts ?? undefined,
        owner: SCHEDULER_OWNER,
        tenant: schedule.tenant,
        idempotencyKey,
        scheduleId: schedule.id,
        scheduleFireTime: fire.fireTime,
        fencingToken: { lockName: lock.name, token: lock.fencingToken },
      });
      if (created) this.metrics.count('fires');
      return job.id;
    } catch (error) {
      // The job for this fire exists but was made from an older definition: it is still this fire's job.
      const existing = error instanceof ProblemException ? error.problem.jobId : undefined;
      if (
        error instanceof ProblemException &&
        error.getStatus() === 409 &&
        typeof existing === 'string'
      )
        return existing;
      throw error;
    }
  }

  /** null: no previous job (or it is gone). */
  private async previousJobFinished(jobId: string | null): Promise<boolean | null> {
    if (!jobId) return null;
    try {
      return isTerminal((await this.jobs.get(jobId, ALL_TENANTS)).status);
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() === 404) return null;
      throw error;
    }
  }
}
