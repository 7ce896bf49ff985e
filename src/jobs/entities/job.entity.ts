import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JobStatus } from '../domain/job-status.js';
import type { ResultRef } from '../../results/result-ref.js';
import type { JobError } from '../job-error.js';

/**
 * The `jobs` table as the migrations build it; `test/entities-match-migrations` proves they agree.
 * The list indexes are descending in the migrations (newest first); TypeORM's metadata has no key
 * order, so here they read ascending.
 */
@Entity({ name: 'jobs' })
@Check('jobs_status_check', `status = ANY (ARRAY['PENDING'::text, 'QUEUED'::text, 'RUNNING'::text, 'FAILED'::text, 'COMPLETED'::text, 'DEAD'::text, 'CANCELLED'::text, 'EXPIRED'::text])`)
@Check('jobs_run_timeout_ms_check', `run_timeout_ms > 0`)
@Check('jobs_max_attempts_check', `max_attempts >= 1 AND max_attempts <= 100`)
@Check('jobs_progress_percent_check', `progress_percent >= 0 AND progress_percent <= 100`)
@Index('jobs_idempotency_key_uq', ['tenant', 'owner', 'idempotencyKey'], { unique: true })
@Index('jobs_pending_due_idx', ['runAt'], { where: `status = 'PENDING'::text` })
@Index('jobs_failed_due_idx', ['nextAttemptAt'], { where: `status = 'FAILED'::text` })
@Index('jobs_running_lease_idx', ['leaseExpiresAt'], { where: `status = 'RUNNING'::text` })
@Index('jobs_queued_since_idx', ['queuedAt'], { where: `status = 'QUEUED'::text` })
@Index('jobs_queued_claim_idx', ['priority', 'runAt', 'createdAt'], { where: `status = 'QUEUED'::text` })
@Index('jobs_finished_idx', ['finishedAt'], { where: `finished_at IS NOT NULL` })
@Index('jobs_result_expiry_idx', ['resultExpiresAt'], { where: `result_ref IS NOT NULL` })
@Index('jobs_tenant_backlog_idx', ['tenant'], {
  where: `status = ANY (ARRAY['PENDING'::text, 'QUEUED'::text, 'RUNNING'::text, 'FAILED'::text])`,
})
@Index('jobs_start_deadline_idx', ['startDeadline'], {
  where: `status = ANY (ARRAY['PENDING'::text, 'QUEUED'::text]) AND start_deadline IS NOT NULL`,
})
@Index('jobs_list_idx', ['createdAt', 'id'])
@Index('jobs_status_list_idx', ['status', 'createdAt', 'id'])
@Index('jobs_type_list_idx', ['type', 'createdAt', 'id'])
@Index('jobs_tenant_list_idx', ['tenant', 'createdAt', 'id'])
@Index('jobs_schedule_list_idx', ['scheduleId', 'createdAt', 'id'])
export class JobEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'jobs_pkey' })
  id: string;

  @Column('text')
  type: string;

  @Column('jsonb')
  payload: unknown;

  @Column('text')
  status: JobStatus;

  @Column('int', { default: 0 })
  priority: number;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('int', { name: 'max_attempts' })
  maxAttempts: number;

  @Column('int', { default: 0 })
  interruptions: number;

  @Column('timestamptz', { name: 'run_at', default: () => 'now()' })
  runAt: Date;

  @Column('timestamptz', { name: 'queued_at', nullable: true })
  queuedAt: Date | null;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @Column('timestamptz', { name: 'lease_expires_at', nullable: true })
  leaseExpiresAt: Date | null;

  @Column('text', { name: 'locked_by', nullable: true })
  lockedBy: string | null;

  @Column('int', { name: 'progress_percent', default: 0 })
  progressPercent: number;

  @Column('text', { name: 'progress_message', nullable: true })
  progressMessage: string | null;

  @Column('jsonb', { name: 'result_ref', nullable: true })
  resultRef: ResultRef | null;

  @Column('timestamptz', { name: 'result_expires_at', nullable: true })
  resultExpiresAt: Date | null;

  @Column('jsonb', { name: 'last_error', nullable: true })
  lastError: JobError | null;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Column('text', { name: 'request_hash', nullable: true })
  requestHash: string | null;

  @Column('text', { default: 'anonymous' })
  owner: string;

  @Column('text')
  tenant: string;

  @Column('text', { name: 'callback_url', nullable: true })
  callbackUrl: string | null;

  /** The job's own notification targets (e.g. email addresses and events). */
  @Column('jsonb', { nullable: true })
  notify: unknown;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @Column('jsonb', { name: 'dispatch_origin', nullable: true })
  dispatchOrigin: { topic: string; partition: number; offset: string } | null;

  @Column('uuid', { name: 'schedule_id', nullable: true })
  scheduleId: string | null;

  @Column('timestamptz', { name: 'schedule_fire_time', nullable: true })
  scheduleFireTime: Date | null;

  @Column('bigint', { name: 'fencing_token', nullable: true })
  fencingToken: string | null;

  /** Each attempt fails once it has run this long. */
  @Column('int', { name: 'run_timeout_ms', nullable: true })
  runTimeoutMs: number | null;

  /** Not started by then (the database's clock): EXPIRED. */
  @Column('timestamptz', { name: 'start_deadline', nullable: true })
  startDeadline: Date | null;
}
