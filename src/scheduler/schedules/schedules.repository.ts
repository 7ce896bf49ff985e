import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import type { AcquiredLock } from '../lock/scheduler-lock.provider.js';
import { ScheduleSql } from '../scheduler.sql.js';
import type { Schedule, ScheduleDefinition } from './schedule.js';
import { toSchedule, type ScheduleRow } from './schedule-row.mapper.js';
import { tenantParam, type TenantScope } from '../../tenancy/tenant-scope.js';

export class ScheduleNameTakenError extends Error {
  constructor(readonly scheduleName: string) {
    super(`a schedule named "${scheduleName}" exists`);
  }
}

export interface EvaluationOutcome {
  nextFireTime: Date | null;
  lastFireTime: Date | null;
  lastJobId: string | null;
  misfireDetectedAt: Date | null;
  firedOnTime: boolean;
  error: string | null;
}

const UNIQUE_VIOLATION = '23505';

function definitionParams(definition: ScheduleDefinition, nextFireTime: Date | null): unknown[] {
  return [
    definition.name,
    definition.cron,
    definition.timezone,
    definition.job.type,
    JSON.stringify(definition.job.payload),
    definition.job.maxAttempts,
    definition.job.priority,
    definition.enabled,
    definition.misfirePolicy,
    definition.overlapPolicy,
    nextFireTime,
  ];
}

@Injectable()
export class SchedulesRepository {
  constructor(private readonly db: DataSource) {}

  async databaseNow(): Promise<Date> {
    const rows = await this.db.query<Array<{ now: Date }>>(ScheduleSql.databaseNow);
    return rows[0].now;
  }

  /** null: the name is taken. */
  async insert(
    id: string,
    tenant: string,
    definition: ScheduleDefinition,
    nextFireTime: Date | null,
  ): Promise<Schedule | null> {
    const rows = await this.db.query<ScheduleRow[]>(ScheduleSql.insert, [
      id,
      ...definitionParams(definition, nextFireTime),
      tenant,
    ]);
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async findById(id: string, scope: TenantScope): Promise<Schedule | null> {
    const rows = await this.db.query<ScheduleRow[]>(ScheduleSql.findById, [id, tenantParam(scope)]);
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async list(after: { name: string; id: string } | null, limit: number, scope: TenantScope): Promise<Schedule[]> {
    const rows = await this.db.query<ScheduleRow[]>(ScheduleSql.list, [after?.name ?? null, after?.id ?? null, limit, tenantParam(scope)]);
    return rows.map(toSchedule);
  }

  /**
   * Reads the schedule under a row lock, lets `change` derive the new definition and next fire time,
   * and stores them (bumping the version). null: no such schedule. Throws ScheduleNameTakenError.
   */
  async updateDefinition(
    id: string,
    scope: TenantScope,
    change: (
      current: Schedule,
    ) => Promise<{ definition: ScheduleDefinition; nextFireTime: Date | null } | null>,
  ): Promise<Schedule | null> {
    let newName = '';
    try {
      return await this.db.transaction(async (tx) => {
        const rows = await tx.query<ScheduleRow[]>(ScheduleSql.lockById, [id, tenantParam(scope)]);
        if (!rows[0]) return null;
        const current = toSchedule(rows[0]);
        const next = await change(current);
        if (!next) return current;
        newName = next.definition.name;
        const updated = await tx.query<ScheduleRow[]>(ScheduleSql.update, [
          id,
          ...definitionParams(next.definition, next.nextFireTime),
        ]);
        return toSchedule(updated[0]);
      });
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw new ScheduleNameTakenError(newName);
      }
      throw error;
    }
  }

  async delete(id: string, scope: TenantScope): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(ScheduleSql.delete, [id, tenantParam(scope)]);
    return rows.length > 0;
  }

  async findDue(limit: number): Promise<Schedule[]> {
    return (await this.db.query<ScheduleRow[]>(ScheduleSql.findDue, [limit])).map(toSchedule);
  }

  /** false: the definition changed meanwhile, or the lock moved on (the outcome is dropped). */
  async recordEvaluation(
    schedule: Schedule,
    outcome: EvaluationOutcome,
    lock: AcquiredLock,
  ): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(ScheduleSql.recordEvaluation, [
      schedule.id,
      schedule.version,
      outcome.nextFireTime,
      outcome.lastFireTime,
      outcome.lastJobId,
      outcome.misfireDetectedAt,
      outcome.firedOnTime,
      outcome.error,
      lock.name,
      lock.fencingToken,
    ]);
    return rows.length > 0;
  }

  async recordFireError(schedule: Schedule, error: string, lock: AcquiredLock): Promise<void> {
    await this.db.query(ScheduleSql.recordFireError, [
      schedule.id,
      schedule.version,
      error,
      lock.name,
      lock.fencingToken,
    ]);
  }

  async recordManualFire(id: string, jobId: string, fireTime: Date): Promise<void> {
    await this.db.query(ScheduleSql.recordManualFire, [id, jobId, fireTime]);
  }
}
