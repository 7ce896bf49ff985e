import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { JobStatus } from './domain/job-status.js';
import type { DispatchOrigin, Job, JobErrorInput, JobTransition, NewJob, ResultRef } from './job.js';
import { jobColumns, toJob, toTransition, type JobRow } from './job-row.mapper.js';
import { PreparedStatement, type SqlTarget } from '../common/sql/prepared-statement.js';
import { JOB_MOVES } from './job-moves.sql.js';
import type { InterruptionPolicy } from './interruption-policy.js';

type Queryable = Pick<EntityManager, 'query'>;

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

/** How a claim identifies its worker and what it may take. */
export interface ClaimContext {
  leaseMs: number;
  workerId: string;
  /** The job types this node has handlers for: it never claims another. */
  types: readonly string[];
}

export type TransitionedJob = Job & { previousStatus: JobStatus };

/** A producer-chosen job id that another tenant's job already has. */
export class JobIdTakenError extends Error {
  constructor(readonly jobId: string) {
    super(`job id ${jobId} is taken`);
    this.name = 'JobIdTakenError';
  }
}

/** Submissions, many per statement (group commit): see insertMany. */
const INSERT_JOBS = new PreparedStatement<JobRow>(
  'jobs.insertMany',
  `WITH input AS (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(ord int, id uuid, type text, payload jsonb, priority int, max_attempts int,
       run_at timestamptz, delay_ms float8, idempotency_key text, request_hash text, owner text, callback_url text, notify jsonb,
       schedule_id uuid, schedule_fire_time timestamptz, tenant text, fencing_token bigint, run_timeout_ms int, queue_ttl_ms float8)
   ), timed AS (
     SELECT *, coalesce(run_at, now() + make_interval(secs => delay_ms / 1000)) AS due FROM input
   ), inserted AS (
     INSERT INTO jobs (id, type, payload, status, priority, max_attempts, run_at, queued_at, idempotency_key,
                       request_hash, owner, callback_url, notify, schedule_id, schedule_fire_time, tenant, fencing_token,
                       run_timeout_ms, start_deadline)
     SELECT id, type, payload, CASE WHEN due > now() THEN 'PENDING' ELSE 'QUEUED' END, priority, max_attempts, due,
            CASE WHEN due > now() THEN NULL ELSE now() END, idempotency_key, request_hash, owner, callback_url, notify,
            schedule_id, schedule_fire_time, tenant, fencing_token,
            run_timeout_ms, greatest(due, now()) + make_interval(secs => queue_ttl_ms / 1000)
     FROM timed ORDER BY ord
     ON CONFLICT DO NOTHING
     RETURNING ${jobColumns()}
   ), history AS (
     INSERT INTO job_transitions (job_id, from_status, to_status, attempt, reason)
     SELECT id, NULL, status, 0, 'submitted' FROM inserted
   )
   SELECT * FROM inserted`,
);

/** The poll of every client (GET /jobs/{id}, /status): prepared. */
const JOB_IN_SCOPE = new PreparedStatement<JobRow>(
  'jobs.findInScope',
  `SELECT ${jobColumns()}, result_expires_at <= now() AS result_expired FROM jobs WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`,
);

function moved(rows: JobRow[]): TransitionedJob[] {
  return rows.map((row) => ({ ...toJob(row), previousStatus: row.previous_status as JobStatus }));
}

/** Job rows and their history. Every state change goes through one of the guarded moves of JOB_MOVES. */
@Injectable()
export class JobsRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** `work` in a transaction when it needs one; otherwise each of its statements commits on its own. */
  transactionIf<T>(needed: boolean, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return needed ? this.db.transaction(work) : work(this.db.manager);
  }

  /**
   * Inserts many jobs in one statement (group commit of concurrent submissions); a job whose id or
   * (owner, idempotencyKey) exists is not inserted and its existing row is returned instead. The database
   * decides when each runs (`runAt`, else now + delay) and so whether it starts PENDING or QUEUED: no
   * node's clock is ever compared with another's.
   */
  async insertMany(jobs: readonly NewJob[], tx: SqlTarget = this.db): Promise<Array<{ job: Job; created: boolean }>> {
    const input = jobs.map((job, ord) => ({
      ord,
      id: job.id,
      type: job.type,
      payload: job.payload,
      priority: job.priority,
      max_attempts: job.maxAttempts,
      run_at: job.runAt,
      delay_ms: job.delayMs,
      run_timeout_ms: job.runTimeoutMs,
      queue_ttl_ms: job.queueTtlMs,
      idempotency_key: job.idempotencyKey,
      request_hash: job.requestHash,
      owner: job.owner,
      callback_url: job.callbackUrl,
      notify: job.notify ?? null,
      schedule_id: job.scheduleId,
      schedule_fire_time: job.scheduleFireTime,
      tenant: job.tenant,
      fencing_token: job.fence?.token ?? null,
    }));
    const rows = await INSERT_JOBS.rows(tx, [JSON.stringify(input)]);
    const created = new Map(rows.map((row) => [row.id as string, toJob(row)]));
    return Promise.all(
      jobs.map(async (job) => {
        const mine = created.get(job.id);
        return mine ? { job: mine, created: true } : { job: await this.existing(job, tx), created: false };
      }),
    );
  }

  /**
   * The row a job could not be inserted over: same id, or same (owner, idempotency key), in its tenant.
   * An id that belongs to another tenant's job is JobIdTakenError (nothing of that job may be shown).
   */
  private async existing(job: NewJob, tx: Queryable): Promise<Job> {
    const rows = await tx.query<JobRow[]>(
      `SELECT * FROM jobs WHERE tenant = $4 AND ((owner = $1 AND idempotency_key = $2) OR id = $3) ORDER BY (id = $3) DESC LIMIT 1`,
      [job.owner, job.idempotencyKey, job.id, job.tenant],
    );
    if (rows.length === 0) throw new JobIdTakenError(job.id);
    return toJob(rows[0]);
  }

  async findById(id: string, tx: Queryable = this.db): Promise<Job | null> {
    const rows = await tx.query<JobRow[]>(`SELECT *, result_expires_at <= now() AS result_expired FROM jobs WHERE id = $1`, [id]);
    return rows.length > 0 ? toJob(rows[0]) : null;
  }

  /** A job the scope may see; another tenant's job is as absent as a missing one. */
  async findInScope(id: string, tenant: string | null): Promise<Job | null> {
    const rows = await JOB_IN_SCOPE.rows(this.db, [id, tenant]);
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

  async claimQueued(limit: number, claim: ClaimContext): Promise<TransitionedJob[]> {
    return moved(await JOB_MOVES.claimQueued.rows(this.db, [limit, claim.leaseMs, claim.workerId, claim.types]));
  }

  /**
   * Claims the QUEUED jobs among `dispatches` (of this node's types) in one statement; `origin` is the
   * transport record that dispatched each (kept on the job for dead letter records).
   */
  async claimByIds(dispatches: ReadonlyArray<{ id: string; origin: DispatchOrigin | null }>, claim: ClaimContext): Promise<TransitionedJob[]> {
    if (dispatches.length === 0) return [];
    const params = [JSON.stringify(dispatches), claim.leaseMs, claim.workerId, claim.types];
    return moved(await JOB_MOVES.claimByIds.rows(this.db, params));
  }

  /** Jobs QUEUED for longer than `olderThanMs` whose dispatch never reached a capable worker. */
  async claimStranded(limit: number, olderThanMs: number, claim: ClaimContext): Promise<TransitionedJob[]> {
    return moved(
      await JOB_MOVES.claimStranded.rows(this.db, [limit, claim.leaseMs, claim.workerId, claim.types, olderThanMs]),
    );
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

  /** Completes many attempts in one statement, each fenced on its attempt; returns the ones that still held their job. */
  async completeMany(
    completions: ReadonlyArray<{ id: string; attempt: number; result: ResultRef | null; progressMessage: string | null }>,
    resultTtlMs: number,
    tx: SqlTarget,
  ): Promise<TransitionedJob[]> {
    const input = completions.map((c) => ({ id: c.id, attempt: c.attempt, result_ref: c.result, progress_message: c.progressMessage }));
    return moved(await JOB_MOVES.completeMany.rows(tx, [JSON.stringify(input), resultTtlMs]));
  }

  async fail(id: string, attempt: number, error: JobErrorInput, retryInMs: number): Promise<TransitionedJob | null> {
    return moved(await JOB_MOVES.fail.rows(this.db, [id, attempt, JSON.stringify(error), retryInMs]))[0] ?? null;
  }

  async bury(id: string, attempt: number, error: JobErrorInput): Promise<TransitionedJob | null> {
    return moved(await JOB_MOVES.bury.rows(this.db, [id, attempt, JSON.stringify(error)]))[0] ?? null;
  }

  /**
   * An attempt cut off without an outcome (shutdown): it counts as an interruption, backs off, and
   * past the cap the job is DEAD ("interrupted too often"). `interruptions` is the count before this one.
   */
  async interrupt(job: Pick<Job, 'id' | 'attempts' | 'interruptions'>, reason: string, policy: InterruptionPolicy): Promise<TransitionedJob | null> {
    const rows =
      job.interruptions + 1 >= policy.maxInterruptions
        ? await JOB_MOVES.interruptToDead.rows(this.db, [job.id, job.attempts, reason])
        : await JOB_MOVES.interrupt.rows(this.db, [job.id, job.attempts, policy.backoffBaseMs, policy.backoffMaxMs, reason]);
    return moved(rows)[0] ?? null;
  }

  async cancel(id: string, error: JobErrorInput): Promise<TransitionedJob | null> {
    return moved(await JOB_MOVES.cancel.rows(this.db, [id, JSON.stringify(error)]))[0] ?? null;
  }

  async promoteDue(limit: number, tx: SqlTarget): Promise<TransitionedJob[]> {
    return moved(await JOB_MOVES.promoteDue.rows(tx, [limit]));
  }

  /** Attempts whose worker stopped heart-beating: interrupted (backoff), or DEAD past the cap. */
  async expireLeases(limit: number, policy: InterruptionPolicy): Promise<TransitionedJob[]> {
    const retry = moved(
      await JOB_MOVES.expireLeasesToRetry.rows(this.db, [limit, policy.maxInterruptions, policy.backoffBaseMs, policy.backoffMaxMs]),
    );
    const dead = moved(await JOB_MOVES.expireLeasesToDead.rows(this.db, [limit, policy.maxInterruptions]));
    return [...retry, ...dead];
  }

  /** QUEUED jobs of a type no live worker runs, waiting longer than `unrunnableAfterMs`, go DEAD. */
  /** Jobs never started by their start deadline: EXPIRED. */
  async expireUnstarted(limit: number): Promise<TransitionedJob[]> {
    return moved(await JOB_MOVES.expireUnstarted.rows(this.db, [limit]));
  }

  async buryUnrunnable(limit: number, unrunnableAfterMs: number, workerAliveMs: number): Promise<TransitionedJob[]> {
    return moved(await JOB_MOVES.buryUnrunnable.rows(this.db, [limit, unrunnableAfterMs, workerAliveMs]));
  }

  /**
   * Milliseconds until the next delayed job, retry or lease expiry falls due, by the database's clock
   * (null: nothing scheduled; ≤ 0: due now). Each part reads one partial index.
   */
  async nextDueInMs(): Promise<number | null> {
    const rows = await this.db.query<Array<{ ms: number | null }>>(
      `SELECT (extract(epoch FROM least(
         (SELECT min(run_at) FROM jobs WHERE status = 'PENDING'),
         (SELECT min(next_attempt_at) FROM jobs WHERE status = 'FAILED'),
         (SELECT min(lease_expires_at) FROM jobs WHERE status = 'RUNNING'),
         (SELECT min(start_deadline) FROM jobs WHERE status IN ('PENDING', 'QUEUED') AND start_deadline IS NOT NULL AND started_at IS NULL)
       ) - now()) * 1000)::float8 AS ms`,
    );
    return rows[0]?.ms ?? null;
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
