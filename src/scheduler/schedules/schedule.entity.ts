import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A cron schedule that creates jobs. */
@Entity({ name: 'schedules' })
@Check('schedules_job_max_attempts_check', 'job_max_attempts >= 1 AND job_max_attempts <= 100')
@Check('schedules_misfire_policy_check', `misfire_policy = ANY (ARRAY['fire_once'::text, 'skip'::text])`)
@Check('schedules_overlap_policy_check', `overlap_policy = ANY (ARRAY['skip'::text, 'allow'::text])`)
@Index('schedules_due_idx', ['nextFireTime'], { where: 'enabled' })
@Index('schedules_list_idx', ['name', 'id'])
@Index('schedules_tenant_name_uq', ['tenant', 'name'], { unique: true })
export class ScheduleEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'schedules_pkey' })
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  cron: string;

  @Column('text')
  timezone: string;

  @Column('text', { name: 'job_type' })
  jobType: string;

  @Column('jsonb', { name: 'job_payload' })
  jobPayload: unknown;

  @Column('int', { name: 'job_max_attempts', nullable: true })
  jobMaxAttempts: number | null;

  @Column('int', { name: 'job_priority', default: 0 })
  jobPriority: number;

  @Column('boolean')
  enabled: boolean;

  @Column('text', { name: 'misfire_policy' })
  misfirePolicy: string;

  @Column('text', { name: 'overlap_policy' })
  overlapPolicy: string;

  @Column('timestamptz', { name: 'next_fire_time', nullable: true })
  nextFireTime: Date | null;

  @Column('timestamptz', { name: 'last_fire_time', nullable: true })
  lastFireTime: Date | null;

  @Column('uuid', { name: 'last_job_id', nullable: true })
  lastJobId: string | null;

  @Column('timestamptz', { name: 'last_misfire_at', nullable: true })
  lastMisfireAt: Date | null;

  @Column('timestamptz', { name: 'misfired_since', nullable: true })
  misfiredSince: Date | null;

  @Column('int', { name: 'misfire_count', default: 0 })
  misfireCount: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('int', { default: 0 })
  version: number;

  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'clock_timestamp()' })
  updatedAt: Date;

  @Column('text')
  tenant: string;
}
