import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { JobStatus } from './domain/job-status.js';
import type { Job, JobError, JobFence, JobTransition, NewJob, ResultRef } from './job.js';
import { toJob, toTransition, type JobRow } from './job-row.mapper.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { JobChannels } from './job-channels.js';
import { transitionSql } from './transition-sql.js';

type Queryable = Pick<EntityManager, 'query'>;
const S = JobStatus;

export interface JobListFilter {
  status?: JobStatus;
  type?: string;
  owner?: string;
  /** null: every tenant. */
  tenant: string | null;
  scheduleId?: string;
  before?: { createdAt: Date; id: string };
  limit: number;
}

// Every statement that moves a job, in one place. A conditional status check guards each.
const SQL = {
  claimDue: transitionSql({
    to: S.RUNNING,
    from: [S.QUEUED],
    where: 'run_at <= now()',
    order: 'priority DESC, run_at, created_at',
    limit: '$1',
    skipLocked: true,
    set: `attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()),
          lease_expires_at = now() + make_interval(secs => $2::float8 / 1000), locked_by = $3, next_attempt_at = NULL,
          progress_percent = 0, progress_message = NULL`,
  }),
  claimById: transitionSql({
    to: S.RUNNING,
    from: [S.QUEUED],
    where: 'id = $1 AND type = $4 AND run_at <= now()',
    set: `attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()),
          lease_expires_at = now() + make_interval(secs => $2::float8 / 1000), locked_by = $3, next_attempt_at = NULL,
          progress_percent = 0, progress_message = NULL`,
  }),
  complete: transitionSql({
    to: S.COMPLETED,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `result_ref = $3::jsonb, finished_at = now(), lease_expires_at = NULL, progress_percent = 100`,
  }),
  fail: transitionSql({
    to: S.FAILED,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `last_error = $3::jsonb, next_attempt_at = now() + make_interval(secs => $4::float8 / 1000), lease_expires_at = NULL`,
    reason: `$3::jsonb ->> 'message'`,
  }),
  bury: transitionSql({
    to: S.DEAD,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `last_error = $3::jsonb, finished_at = now(), lease_expires_at = NULL`,
    reason: `$3::jsonb ->> 'message'`,
  }),
  releaseInterrupted: transitionSql({
    to: S.FAILED,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `attempts = j.attempts - 1, next_attempt_at = now(), lease_expires_at = NULL`,
    reason: `'interrupted by shutdown; the attempt does not count'`,
  }),
  cancel: transitionSql({
    to: S.CANCELLED,
    from: [S.PENDING, S.QUEUED, S.RUNNING, S.FAILED],
    where: 'id = $1',
    set: `finished_at = now(), lease_expires_at = NULL, last_error = $2::jsonb`,
    reason: `'cancelled'`,
  }),
  promoteDue: transitionSql({
    to: S.QUEUED,
    from: [S.PENDING, S.FAILED],
    where: `(status = 'PENDING' AND run_at <= now()) OR (status = 'FAILED' AND next_attempt_at <= now())`,
    limit: '$1',
    skipLocked: true,
  }),
  expireLeasesToRetry: transitionSql({
    to: S.FAILED,
    from: [S.RUNNING],
    where: 'lease_expires_at < now() AND attempts < max_attempts',
    limit: '$1',
    skipLocked: true,
    set: `next_attempt_at = now(), lease_expires_at = NULL,
          last_error = jsonb_build_object('message', 'worker lost: lease expired', 'code', 'LEASE_EXPIRED',
                                          'attempt', j.attempts, 'at', now())`,
    reason: `'lease expired'`,
  }),
  expireLeasesToDead: transitionSql({
    to: S.DEAD,
    from: [S.RUNNING],
    where: 'lease_expires_at < now() AND attempts >= max_attempts',
    limit: '$1',
    skipLocked: true,
    set: `finished_at = now(), lease_expires_at = NULL,
          last_error = jsonb_build_object('message', 'worker lost: lease expired', 'code', 'LEASE_EXPIRED',
                                          'attempt', j.attempts, 'at', now())`,
    reason: `'lease expired'`,
  }),
} as const;

export type TransitionedJob = Job & { previousStatus: JobStatus };

/** Scheduled work whose lock moved on (expired, or taken by another node) may not create jobs. */
export class StaleFencingTokenError extends Error {
  constructor(readonly fence: JobFence) {
    super(`fencing token ${fence.token} of scheduler lock "${fence.lockName}" is no longer current; job not created`);
    this.name = 'StaleFencingTokenError';
  }
}

function moved(rows: JobRow[]): TransitionedJob[] {
  return rows.map((row) => ({ ...toJob(row), previousStatus: row.previous_status as JobStatus }));
}

@Injectable()
export class JobsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly notifications: PgNotifications,
  ) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** `work` in a transaction when it needs one; otherwise each of its statements commits on its own. */
  transactionIf<T>(needed: boolean, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return needed ? this.db.transaction(work) : work(this.db.manager);
  }

  /**
   * Inserts the job unless its id or (owner, idempotencyKey) exists; then returns the existing one.
   * With a fence (scheduled work), the same statement inserts only while the scheduler lock's fencing
   * token is current (row share-locked until commit), else throws StaleFencingTokenError.
   */
  async insertOrFindByIdempotencyKey(job: NewJob, tx: Queryable = this.db): Promise<{ job: Job; created: boolean }> {
    const rows = await tx.query<JobRow[]>(
      `WITH fence AS (
         SELECT $12::text IS NULL OR EXISTS (
           SELECT 1 FROM scheduler_locks l
           WHERE l.name = $12 AND l.fencing_token = $13::bigint AND l.lock_until > clock_timestamp()
           FOR SHARE
         ) AS holds
       ), inserted AS (
         INSERT INTO jobs (id, type, payload, status, priority, max_attempts, run_at, idempotency_key,
                           request_hash, owner, callback_url, schedule_id, schedule_fire_time, fencing_token, tenant)
         SELECT $1::uuid, $2::text, $3::jsonb, $4::text, $5::int, $6::int, $7::timestamptz, $8::text, $9::text,
                $10::text, $11::text, $14::uuid, $15::timestamptz, $13::bigint, $16::text
         FROM fence WHERE fence.holds
         ON CONFLICT DO NOTHING
         RETURNING *
       ), history AS (
         INSERT INTO job_transitions (job_id, from_status, to_status, attempt, reason)
         SELECT id, NULL, status, 0, 'submitted' FROM inserted
       )
       SELECT i.*, f.holds AS fence_holds FROM fence f LEFT JOIN inserted i ON true`,
      [
        job.id,
        job.type,
        JSON.stringify(job.payload),
        job.status,
        job.priority,
        job.maxAttempts,
        job.runAt,
        job.idempotencyKey,
        job.requestHash,
        job.owner,
        job.callbackUrl,
        job.fence?.lockName ?? null,
        job.fence?.token ?? null,
        job.scheduleId,
        job.scheduleFireTime,
        job.tenant,
      ],
    );
    if (rows[0]?.id != null) return { job: toJob(rows[0]), created: true };
    if (job.fence && rows[0]?.fence_holds === false) throw new StaleFencingTokenError(job.fence);
    const existing = await tx.query<JobRow[]>(
      `SELECT * FROM jobs WHERE tenant = $4 AND ((owner = $1 AND idempotency_key = $2) OR id = $3) ORDER BY (id = $3) DESC LIMIT 1`,
      [job.owner, job.idempotencyKey, job.id, job.tenant],
    );
    if (existing.length === 0) throw new Error('idempotency conflict without a visible row; retry the request');
    return { job: toJob(existing[0]), created: false };
  }

  async findById(id: string, tx: Queryable = this.db): Promise<Job | null> {
    const rows = await tx.query<JobRow[]>(`SELECT * FROM jobs WHERE id = $1`, [id]);
    return rows.length > 0 ? toJob(rows[0]) : null;
  }

  /** A job the scope may see; another tenant's job is as absent as a missing one. */
  async findInScope(id: string, tenant: string | null): Promise<Job | null> {
    const rows = await this.db.query<JobRow[]>(`SELECT * FROM jobs WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`, [id, tenant]);
    return rows.length > 0 ? toJob(rows[0]) : null;
  }

  async list(filter: JobListFilter): Promise<Job[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (filter.status) add((n) => `status = $${n}`, filter.status);
    if (filter.type) add((n) => `type = $${n}`, filter.type);
    if (filter.owner) add((n) => `owner = $${n}`, filter.owner);
    if (filter.tenant !== null) add((n) => `tenant = $${n}`, filter.tenant);
    if (filter.scheduleId) add((n) => `schedule_id = $${n}`, filter.scheduleId);
    if (filter.before) {
      params.push(filter.before.createdAt, filter.before.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit);
    const rows = await this.db.query<JobRow[]>(
      `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toJob);
  }

  async transitions(jobId: string): Promise<JobTransition[]> {
    const rows = await this.db.query<JobRow[]>(`SELECT * FROM job_transitions WHERE job_id = $1 ORDER BY id`, [jobId]);
    return rows.map(toTransition);
  }

  async claimDue(limit: number, leaseMs: number, workerId: string): Promise<TransitionedJob[]> {
    return moved(await this.db.query<JobRow[]>(SQL.claimDue, [limit, leaseMs, workerId]));
  }

  async claimById(id: string, type: string, leaseMs: number, workerId: string): Promise<TransitionedJob | null> {
    return moved(await this.db.query<JobRow[]>(SQL.claimById, [id, leaseMs, workerId, type]))[0] ?? null;
  }

  /** Extends the lease of a running attempt; false when the attempt no longer owns the job. */
  async heartbeat(id: string, attempt: number, leaseMs: number): Promise<boolean> {
    const rows = await this.db.query<JobRow[]>(
      `WITH updated AS (
         UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $3::float8 / 1000)
         WHERE id = $1 AND attempts = $2 AND status = 'RUNNING' RETURNING id
       ) SELECT id FROM updated`,
      [id, attempt, leaseMs],
    );
    return rows.length > 0;
  }

  async complete(id: string, attempt: number, result: ResultRef | null, tx: Queryable = this.db): Promise<TransitionedJob | null> {
    return moved(await tx.query<JobRow[]>(SQL.complete, [id, attempt, JSON.stringify(result)]))[0] ?? null;
  }

  async fail(id: string, attempt: number, error: JobError, retryInMs: number): Promise<TransitionedJob | null> {
    return this.moveAndWakeSweeper(SQL.fail, [id, attempt, JSON.stringify(error), retryInMs]);
  }

  async bury(id: string, attempt: number, error: JobError): Promise<TransitionedJob | null> {
    return moved(await this.db.query<JobRow[]>(SQL.bury, [id, attempt, JSON.stringify(error)]))[0] ?? null;
  }

  async releaseInterrupted(id: string, attempt: number): Promise<TransitionedJob | null> {
    return this.moveAndWakeSweeper(SQL.releaseInterrupted, [id, attempt]);
  }

  /** For moves that schedule a retry: wakes the sweepers after the commit, so they re-arm in time. */
  private async moveAndWakeSweeper(sql: string, params: unknown[]): Promise<TransitionedJob | null> {
    const job = moved(await this.db.query<JobRow[]>(sql, params))[0] ?? null;
    if (job) this.notifications.notify(JobChannels.due);
    return job;
  }

  async cancel(id: string, error: JobError): Promise<TransitionedJob | null> {
    return moved(await this.db.query<JobRow[]>(SQL.cancel, [id, JSON.stringify(error)]))[0] ?? null;
  }

  async promoteDue(limit: number, tx: Queryable): Promise<TransitionedJob[]> {
    return moved(await tx.query<JobRow[]>(SQL.promoteDue, [limit]));
  }

  async expireLeases(limit: number): Promise<TransitionedJob[]> {
    const retry = moved(await this.db.query<JobRow[]>(SQL.expireLeasesToRetry, [limit]));
    const dead = moved(await this.db.query<JobRow[]>(SQL.expireLeasesToDead, [limit]));
    return [...retry, ...dead];
  }

  /** When the next delayed job, retry or lease expiry falls due (null: nothing scheduled). */
  async nextDueAt(): Promise<Date | null> {
    const rows = await this.db.query<Array<{ due: Date | null }>>(
      `SELECT least(
         (SELECT min(run_at) FROM jobs WHERE status = 'PENDING'),
         (SELECT min(next_attempt_at) FROM jobs WHERE status = 'FAILED'),
         (SELECT min(lease_expires_at) FROM jobs WHERE status = 'RUNNING'),
         (SELECT min(run_at) FROM jobs WHERE status = 'QUEUED' AND run_at > now())
       ) AS due`,
    );
    return rows[0]?.due ?? null;
  }

  /** Percent never goes backwards within an attempt (each claim starts it at 0); only a running attempt may report. */
  async recordProgress(id: string, attempt: number, percent: number, message: string | null): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET progress_percent = greatest(progress_percent, $3), progress_message = coalesce($4, progress_message)
       WHERE id = $1 AND attempts = $2 AND status = 'RUNNING'`,
      [id, attempt, percent, message],
    );
  }
}
