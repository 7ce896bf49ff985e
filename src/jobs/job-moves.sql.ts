import { JobStatus } from './domain/job-status.js';
import { PreparedStatement } from '../common/sql/prepared-statement.js';
import type { JobRow } from './job-row.mapper.js';
import { transitionSql, type TransitionSpec } from './transition-sql.js';

const S = JobStatus;

/** Each move is prepared once per connection under its own name. */
const move = (name: string, spec: TransitionSpec) => new PreparedStatement<JobRow>(`jobs.${name}`, transitionSql(spec));

/** A duration parameter in milliseconds as an interval (times are always the database's own clock). */
const ms = (param: string) => `make_interval(secs => ${param}::float8 / 1000)`;

/** Claim assignments: a new attempt (the fencing token) with a fresh lease, progress back to zero. */
const CLAIM = (lease: string, worker: string, origin = 'NULL') => `attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()),
  lease_expires_at = now() + ${ms(lease)}, locked_by = ${worker}, next_attempt_at = NULL,
  progress_percent = 0, progress_message = NULL, dispatch_origin = ${origin}`;

/** A job past its start deadline is never claimed (the sweeper expires it); a retry of a started job is not bound by it. */
const BEFORE_DEADLINE = '(start_deadline IS NULL OR started_at IS NOT NULL OR start_deadline > now())';

/** Which worker ran the attempt (claims), and for failures the trimmed stack the worker sent (kept off the public error). */
const WORKER = `jsonb_build_object('worker', locked_by)`;
const FAILURE_DIAGNOSTICS = `jsonb_strip_nulls(jsonb_build_object('worker', locked_by, 'stack', $3::jsonb ->> 'stack'))`;

/** An interruption's error: what happened, on which attempt, at the database's time. */
const interruption = (message: string, code: string) =>
  `jsonb_build_object('message', ${message}, 'code', '${code}', 'attempt', j.attempts, 'at', now())`;

/** Backoff of the n-th interruption: base · 2^n, capped, ±20 % (the same curve as failed attempts). */
const INTERRUPTION_BACKOFF = `least($3::float8 * power(2, j.interruptions), $4::float8) * (0.8 + random() * 0.4)`;

/**
 * Every statement that moves a job, in one place. A conditional status check guards each; `type =
 * ANY(types)` keeps a node from claiming a job it has no handler for. QUEUED means "due": a job
 * becomes QUEUED only when the database's clock says so.
 */
export const JOB_MOVES = {
  /** $1 limit, $2 lease ms, $3 worker id, $4 types this node runs. */
  claimQueued: move('claimQueued', {
    to: S.RUNNING,
    from: [S.QUEUED],
    where: `type = ANY($4::text[]) AND ${BEFORE_DEADLINE}`,
    order: 'priority DESC, run_at, created_at',
    limit: '$1',
    skipLocked: true,
    set: CLAIM('$2', '$3'),
    diagnostics: WORKER,
  }),
  /**
   * The jobs named by dispatches, in one statement: $1 [{id, origin}] (origin: the dispatch record's topic,
   * partition and offset), $2 lease ms, $3 worker id, $4 types this node runs.
   */
  claimByIds: move('claimByIds', {
    to: S.RUNNING,
    from: [S.QUEUED],
    input: `SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, origin jsonb)`,
    where: `id IN (SELECT id FROM input) AND type = ANY($4::text[]) AND ${BEFORE_DEADLINE}`,
    set: CLAIM('$2', '$3', 'i.origin'),
    diagnostics: WORKER,
  }),
  /** Jobs QUEUED longer than $5 ms that no dispatch reached (lost message, busy or incapable consumer). */
  claimStranded: move('claimStranded', {
    to: S.RUNNING,
    from: [S.QUEUED],
    where: `queued_at <= now() - ${ms('$5')} AND type = ANY($4::text[]) AND ${BEFORE_DEADLINE}`,
    order: 'queued_at',
    limit: '$1',
    skipLocked: true,
    set: CLAIM('$2', '$3'),
    diagnostics: WORKER,
  }),
  /** Many completions in one statement: $1 [{id, attempt, result_ref, progress_message}], $2 result TTL ms (0: kept as long as the job). */
  completeMany: move('completeMany', {
    to: S.COMPLETED,
    from: [S.RUNNING],
    input: `SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, attempt int, result_ref jsonb, progress_message text)`,
    where: '(id, attempts) IN (SELECT id, attempt FROM input)',
    // A stale attempt of the same job may sit in the same batch: only the attempt holding the job matches.
    inputMatch: 'i.attempt = j.attempts',
    set: `result_ref = i.result_ref, finished_at = now(), lease_expires_at = NULL, progress_percent = 100,
          progress_message = coalesce(i.progress_message, j.progress_message),
          result_expires_at = CASE WHEN i.result_ref IS NOT NULL AND $2::float8 > 0 THEN now() + ${ms('$2')} END`,
  }),
  /** $1 id, $2 attempt, $3 error, $4 retry delay ms. */
  fail: move('fail', {
    to: S.FAILED,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `last_error = ($3::jsonb - 'stack') || jsonb_build_object('at', now()), next_attempt_at = now() + ${ms('$4')}, lease_expires_at = NULL`,
    reason: `$3::jsonb ->> 'message'`,
    diagnostics: FAILURE_DIAGNOSTICS,
  }),
  /** $1 id, $2 attempt, $3 error. */
  bury: move('bury', {
    to: S.DEAD,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `last_error = ($3::jsonb - 'stack') || jsonb_build_object('at', now()), finished_at = now(), lease_expires_at = NULL`,
    reason: `$3::jsonb ->> 'message'`,
    diagnostics: FAILURE_DIAGNOSTICS,
  }),
  /** The attempt was cut off (shutdown) but may run again: $1 id, $2 attempt, $3 backoff base ms, $4 cap ms, $5 reason. */
  interrupt: move('interrupt', {
    to: S.FAILED,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `interruptions = j.interruptions + 1, lease_expires_at = NULL,
          next_attempt_at = now() + make_interval(secs => ${INTERRUPTION_BACKOFF} / 1000),
          last_error = ${interruption('$5::text', 'INTERRUPTED')}`,
    reason: '$5::text',
  }),
  /** The attempt was cut off once too often: $1 id, $2 attempt, $3 reason. */
  interruptToDead: move('interruptToDead', {
    to: S.DEAD,
    from: [S.RUNNING],
    where: 'id = $1 AND attempts = $2',
    set: `interruptions = j.interruptions + 1, lease_expires_at = NULL, finished_at = now(),
          last_error = ${interruption(`'interrupted too often: ' || $3::text`, 'INTERRUPTED_TOO_OFTEN')}`,
    reason: `'interrupted too often: ' || $3::text`,
  }),
  /** $1 limit, $2 interruption cap, $3 backoff base ms, $4 backoff cap ms. */
  expireLeasesToRetry: move('expireLeasesToRetry', {
    to: S.FAILED,
    from: [S.RUNNING],
    where: 'lease_expires_at < now() AND interruptions + 1 < $2',
    limit: '$1',
    skipLocked: true,
    set: `interruptions = j.interruptions + 1, lease_expires_at = NULL,
          next_attempt_at = now() + make_interval(secs => ${INTERRUPTION_BACKOFF} / 1000),
          last_error = ${interruption(`'worker lost: lease expired'`, 'LEASE_EXPIRED')}`,
    reason: `'lease expired'`,
  }),
  /** $1 limit, $2 interruption cap. */
  expireLeasesToDead: move('expireLeasesToDead', {
    to: S.DEAD,
    from: [S.RUNNING],
    where: 'lease_expires_at < now() AND interruptions + 1 >= $2',
    limit: '$1',
    skipLocked: true,
    set: `interruptions = j.interruptions + 1, lease_expires_at = NULL, finished_at = now(),
          last_error = ${interruption(`'interrupted too often: worker lost (lease expired)'`, 'INTERRUPTED_TOO_OFTEN')}`,
    reason: `'interrupted too often: lease expired'`,
  }),
  /** $1 id, $2 error. */
  cancel: move('cancel', {
    to: S.CANCELLED,
    from: [S.PENDING, S.QUEUED, S.RUNNING, S.FAILED],
    where: 'id = $1',
    set: `finished_at = now(), lease_expires_at = NULL, last_error = $2::jsonb || jsonb_build_object('at', now())`,
    reason: `'cancelled'`,
  }),
  /** Never started by its start deadline (the database's clock): $1 limit. */
  expireUnstarted: move('expireUnstarted', {
    to: S.EXPIRED,
    from: [S.PENDING, S.QUEUED],
    where: 'start_deadline <= now() AND started_at IS NULL',
    limit: '$1',
    skipLocked: true,
    set: `finished_at = now(),
          last_error = jsonb_build_object('message', 'not started before its start deadline ' || to_char(j.start_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                          'code', 'EXPIRED', 'attempt', j.attempts, 'at', now())`,
    reason: `'not started before its start deadline'`,
  }),
  /** $1 limit. */
  promoteDue: move('promoteDue', {
    to: S.QUEUED,
    from: [S.PENDING, S.FAILED],
    where: `(status = 'PENDING' AND run_at <= now()) OR (status = 'FAILED' AND next_attempt_at <= now())`,
    limit: '$1',
    skipLocked: true,
    set: 'queued_at = now()',
  }),
  /**
   * QUEUED past $2 ms while workers are alive (seen within $3 ms) but none of them runs the type: a
   * type no deployed node knows. With no live worker at all it is an outage, and the job waits. $1 limit.
   */
  buryUnrunnable: move('buryUnrunnable', {
    to: S.DEAD,
    from: [S.QUEUED],
    where: `queued_at < now() - ${ms('$2')}
      AND EXISTS (SELECT 1 FROM job_workers w WHERE w.last_seen_at > now() - ${ms('$3')})
      AND NOT EXISTS (SELECT 1 FROM job_workers w WHERE w.last_seen_at > now() - ${ms('$3')} AND jobs.type = ANY(w.job_types))`,
    limit: '$1',
    skipLocked: true,
    set: `finished_at = now(),
          last_error = jsonb_build_object('message', 'no worker can run job type "' || j.type || '"', 'code', 'NO_HANDLER',
                                          'attempt', j.attempts, 'at', now())`,
    reason: `'no worker can run job type "' || type || '"'`,
  }),
} as const;
