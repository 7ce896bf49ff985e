import type { MisfirePolicy, OverlapPolicy } from '../domain/misfire-policy.js';
import type { Schedule } from './schedule.js';
import { rowDate, rowDateOrNull } from '../../common/sql/row-values.js';

export type ScheduleRow = Record<string, unknown>;

export function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id as string,
    name: row.name as string,
    tenant: row.tenant as string,
    cron: row.cron as string,
    timezone: row.timezone as string,
    job: {
      type: row.job_type as string,
      payload: row.job_payload as Record<string, unknown>,
      maxAttempts: (row.job_max_attempts as number | null) ?? null,
      priority: row.job_priority as number,
    },
    enabled: row.enabled as boolean,
    misfirePolicy: row.misfire_policy as MisfirePolicy,
    overlapPolicy: row.overlap_policy as OverlapPolicy,
    nextFireTime: rowDateOrNull(row.next_fire_time),
    lastFireTime: rowDateOrNull(row.last_fire_time),
    lastJobId: (row.last_job_id as string | null) ?? null,
    lastMisfireAt: rowDateOrNull(row.last_misfire_at),
    misfiredSince: rowDateOrNull(row.misfired_since),
    misfireCount: row.misfire_count as number,
    lastError: (row.last_error as string | null) ?? null,
    version: row.version as number,
    createdAt: rowDate(row.created_at),
    updatedAt: rowDate(row.updated_at),
    readAt: rowDate(row.db_now),
  };
}
