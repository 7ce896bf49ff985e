import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { JobStatus } from './domain/job-status.js';
import type { ResultRef } from '../results/result-ref.js';

export interface JobError {
  message: string;
  code?: string;
  attempt: number;
  /** Set by the database when the error is recorded. */
  at: string;
}

/** An error as a worker reports it; the database adds the time. */
export type JobErrorInput = Omit<JobError, 'at'>;


@Entity({ name: 'jobs' })
@Index('jobs_idempotency_key_uq', ['tenant', 'owner', 'idempotencyKey'], { unique: true })
export class JobEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  type: string;

  @Column('jsonb')
  payload: unknown;

  @Column('text')
  status: JobStatus;

  @Column('int')
  priority: number;

  @Column('int')
  attempts: number;

  @Column('int', { name: 'max_attempts' })
  maxAttempts: number;

  @Column('int')
  interruptions: number;

  @Column('timestamptz', { name: 'run_at' })
  runAt: Date;

  @Column('timestamptz', { name: 'queued_at', nullable: true })
  queuedAt: Date | null;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @Column('timestamptz', { name: 'lease_expires_at', nullable: true })
  leaseExpiresAt: Date | null;

  @Column('text', { name: 'locked_by', nullable: true })
  lockedBy: string | null;

  @Column('int', { name: 'progress_percent' })
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

  @Column('text')
  owner: string;

  @Column('text')
  tenant: string;

  @Column('text', { name: 'callback_url', nullable: true })
  callbackUrl: string | null;

  @Column('jsonb', { nullable: true })
  notify: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
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
}
