import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Problems } from '../../common/problem/problem.exception.js';
import type { Job } from '../../jobs/job.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { CronSchedule } from '../domain/cron-schedule.js';
import type { CreateScheduleDto, UpdateScheduleDto } from './dto/schedule-body.dto.js';
import type { Schedule, ScheduleDefinition } from './schedule.js';
import { ScheduleProblems } from './schedule-problems.js';
import { scheduleFireKey, SCHEDULER_OWNER } from './schedule-fire.js';
import { ScheduleNameTakenError, SchedulesRepository } from './schedules.repository.js';
import { decodeNameCursor, encodeNameCursor } from '../../common/pagination/cursor.js';
import type { TenantScope } from '../../tenancy/tenant-scope.js';

export interface SchedulePage {
  items: Schedule[];
  nextCursor: string | null;
}

/** Operator-facing use cases for persistent schedules; firing on time is ScheduleEvaluator's job. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly jobs: JobsService,
  ) {}

  /** The schedule belongs to `tenant`, and so do the jobs it makes. */
  async create(body: CreateScheduleDto, tenant: string): Promise<Schedule> {
    const definition: ScheduleDefinition = {
      name: body.name,
      cron: body.cron.trim(),
      timezone: body.timezone ?? 'UTC',
      job: {
        type: body.job.type,
        payload: body.job.payload ?? {},
        maxAttempts: body.job.maxAttempts ?? null,
        priority: body.job.priority ?? 0,
      },
      enabled: body.enabled ?? true,
      misfirePolicy: body.misfirePolicy ?? 'fire_once',
      overlapPolicy: body.overlapPolicy ?? 'skip',
    };
    await this.jobs.validateJob(definition.job.type, definition.job.payload, 'job.payload');
    const nextFireTime = definition.enabled ? await this.firstFireTime(definition) : null;
    const created = await this.schedules.insert(randomUUID(), tenant, definition, nextFireTime);
    if (!created) throw ScheduleProblems.nameTaken(definition.name);
    return created;
  }

  async get(id: string, scope: TenantScope): Promise<Schedule> {
    const schedule = await this.schedules.findById(id, scope);
    if (!schedule) throw ScheduleProblems.notFound(id);
    return schedule;
  }

  async list(query: { cursor?: string; limit?: number }, scope: TenantScope): Promise<SchedulePage> {
    const limit = query.limit ?? 50;
    const after = query.cursor !== undefined ? decodeNameCursor(query.cursor) : null;
    const items = await this.schedules.list(after, limit + 1, scope);
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? encodeNameCursor(last) : null };
  }

  async update(id: string, body: UpdateScheduleDto, scope: TenantScope): Promise<Schedule> {
    if (body.job) await this.jobs.validateJob(body.job.type, body.job.payload ?? {}, 'job.payload');
    return this.change(id, scope, async (current) => {
      const definition: ScheduleDefinition = {
        name: body.name ?? current.name,
        cron: body.cron?.trim() ?? current.cron,
        timezone: body.timezone ?? current.timezone,
        job: body.job
          ? {
              type: body.job.type,
              payload: body.job.payload ?? {},
              maxAttempts: body.job.maxAttempts ?? null,
              priority: body.job.priority ?? 0,
            }
          : current.job,
        enabled: body.enabled ?? current.enabled,
        misfirePolicy: body.misfirePolicy ?? current.misfirePolicy,
        overlapPolicy: body.overlapPolicy ?? current.overlapPolicy,
      };
      const timingChanged =
        definition.cron !== current.cron || definition.timezone !== current.timezone;
      let nextFireTime = current.nextFireTime;
      if (!definition.enabled) nextFireTime = null;
      else if (timingChanged || !current.enabled || !current.nextFireTime)
        nextFireTime = await this.firstFireTime(definition);
      return { definition, nextFireTime };
    });
  }

  async delete(id: string, scope: TenantScope): Promise<void> {
    if (!(await this.schedules.delete(id, scope))) throw ScheduleProblems.notFound(id);
  }

  /** Stops firing; the stored next fire time is cleared so no misfire builds up while paused. */
  pause(id: string, scope: TenantScope): Promise<Schedule> {
    return this.change(id, scope, (current) =>
      Promise.resolve(
        current.enabled ? { definition: { ...current, enabled: false }, nextFireTime: null } : null,
      ),
    );
  }

  /** Fires again from the next future fire time; fires missed while paused are not caught up. */
  resume(id: string, scope: TenantScope): Promise<Schedule> {
    return this.change(id, scope, async (current) =>
      current.enabled
        ? null
        : {
            definition: { ...current, enabled: true },
            nextFireTime: await this.firstFireTime(current),
          },
    );
  }

  /** Fires now, whatever the state, pause and overlap policy (Quartz's triggerJob). */
  async trigger(id: string, scope: TenantScope): Promise<Job> {
    const schedule = await this.get(id, scope);
    const fireTime = await this.schedules.databaseNow();
    const { job } = await this.jobs.submit({
      type: schedule.job.type,
      payload: schedule.job.payload,
      priority: schedule.job.priority,
      maxAttempts: schedule.job.maxAttempts ?? undefined,
      owner: SCHEDULER_OWNER,
      tenant: schedule.tenant,
      idempotencyKey: scheduleFireKey(schedule.id, fireTime),
      scheduleId: schedule.id,
      scheduleFireTime: fireTime,
    });
    await this.schedules.recordManualFire(schedule.id, job.id, fireTime);
    return job;
  }

  private async change(
    id: string,
    scope: TenantScope,
    derive: (
      current: Schedule,
    ) => Promise<{ definition: ScheduleDefinition; nextFireTime: Date | null } | null>,
  ): Promise<Schedule> {
    try {
      const updated = await this.schedules.updateDefinition(id, scope, derive);
      if (!updated) throw ScheduleProblems.notFound(id);
      return updated;
    } catch (error) {
      if (error instanceof ScheduleNameTakenError)
        throw ScheduleProblems.nameTaken(error.scheduleName);
      throw error;
    }
  }

  private async firstFireTime(
    definition: Pick<ScheduleDefinition, 'cron' | 'timezone'>,
  ): Promise<Date> {
    const next = CronSchedule.parse(definition.cron, definition.timezone).nextAfter(
      await this.schedules.databaseNow(),
    );
    if (!next)
      throw Problems.validation([
        { field: 'cron', message: 'cron never fires again (no future fire time)' },
      ]);
    return next;
  }
}
