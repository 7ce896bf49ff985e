import { CronSchedule } from '../domain/cron-schedule.js';
import { scheduleStatus } from '../domain/schedule-status.js';
import type { ScheduleDto } from './dto/schedule-views.dto.js';
import type { Schedule } from './schedule.js';

const UPCOMING = 5;

/** The next fire times, starting with the stored (possibly overdue) next fire time. */
export function upcomingFireTimes(schedule: Schedule, count = UPCOMING): Date[] {
  if (!schedule.enabled || !schedule.nextFireTime) return [];
  const times = CronSchedule.parse(schedule.cron, schedule.timezone);
  return [schedule.nextFireTime, ...times.nextN(count - 1, schedule.nextFireTime)];
}

export function toScheduleDto(schedule: Schedule, graceMs: number): ScheduleDto {
  const iso = (value: Date | null) => value?.toISOString() ?? null;
  return {
    id: schedule.id,
    tenant: schedule.tenant,
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    job: { ...schedule.job },
    enabled: schedule.enabled,
    misfirePolicy: schedule.misfirePolicy,
    overlapPolicy: schedule.overlapPolicy,
    status: scheduleStatus({ ...schedule, now: schedule.readAt, graceMs }),
    nextFireTime: iso(schedule.nextFireTime),
    nextFireTimes: upcomingFireTimes(schedule).map((time) => time.toISOString()),
    lastFireTime: iso(schedule.lastFireTime),
    lastJobId: schedule.lastJobId,
    lastMisfireAt: iso(schedule.lastMisfireAt),
    misfireCount: schedule.misfireCount,
    lastError: schedule.lastError,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}
