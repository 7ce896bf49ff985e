/**
 * Every SQL statement of the scheduler module (locks and persistent schedules), so a reviewer sees them
 * in one place. Times are the database's: clock_timestamp()/now(), never a node's clock.
 * UPDATE/DELETE ... RETURNING sit in a CTE because TypeORM's query() answers bare ones with [rows, count].
 */
/** True while the fencing token (lock name, token) is the lock's current one and unexpired; share-locks the row. */
const fenceHolds = (name: string, token: string) => `EXISTS (
  SELECT 1 FROM scheduler_locks l WHERE l.name = ${name} AND l.fencing_token = ${token}::bigint AND l.lock_until > clock_timestamp()
  FOR SHARE)`;

export const LockSql = {
  /**
   * One statement: a transaction-scoped advisory lock on (schema, name) serialises acquirers (a loser
   * gets no row at once instead of queueing), then a conditional upsert takes the row only when it is
   * new or its lock_until has passed, bumping the fencing token.
   * $1 name, $2 lockAtMostFor ms, $3 locked_by.
   */
  acquire: `
    WITH guard AS (
      SELECT pg_try_advisory_xact_lock(hashtext(current_schema()), hashtext($1)) AS won, clock_timestamp() AS at
    )
    INSERT INTO scheduler_locks AS l (name, lock_until, locked_at, locked_by, fencing_token)
    SELECT $1, g.at + make_interval(secs => $2::float8 / 1000), g.at, $3, 1
    FROM guard g WHERE g.won
    ON CONFLICT (name) DO UPDATE
      SET lock_until = EXCLUDED.lock_until,
          locked_at = EXCLUDED.locked_at,
          locked_by = EXCLUDED.locked_by,
          fencing_token = l.fencing_token + 1
      WHERE l.lock_until <= EXCLUDED.locked_at
    RETURNING name, fencing_token::text AS fencing_token, locked_at, lock_until, locked_by`,

  /** Only the holder of this token releases; the row never frees before locked_at + lockAtLeastFor. $1 name, $2 token, $3 lockAtLeastFor ms. */
  release: `
    UPDATE scheduler_locks
    SET lock_until = greatest(clock_timestamp(), locked_at + make_interval(secs => $3::float8 / 1000))
    WHERE name = $1 AND fencing_token = $2::bigint AND lock_until > clock_timestamp()`,

  /** Whether the token still holds the lock, share-locking its row until the caller's transaction ends. $1 name, $2 token. */
  fenceHolds: `SELECT ${fenceHolds('$1', '$2')} AS holds`,
} as const;

const SCHEDULE_COLUMNS = `s.*, clock_timestamp() AS db_now`;

export const ScheduleSql = {
  databaseNow: `SELECT date_trunc('milliseconds', clock_timestamp()) AS now`,

  insert: `
    WITH inserted AS (
      INSERT INTO schedules (id, name, cron, timezone, job_type, job_payload, job_max_attempts, job_priority,
                             enabled, misfire_policy, overlap_policy, next_fire_time, tenant)
      VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13)
      ON CONFLICT (tenant, name) DO NOTHING
      RETURNING *
    ) SELECT ${SCHEDULE_COLUMNS} FROM inserted s`,

  /** $2 tenant (null: any). */
  findById: `SELECT ${SCHEDULE_COLUMNS} FROM schedules s WHERE s.id = $1 AND ($2::text IS NULL OR s.tenant = $2)`,

  lockById: `SELECT ${SCHEDULE_COLUMNS} FROM schedules s WHERE s.id = $1 AND ($2::text IS NULL OR s.tenant = $2) FOR UPDATE`,

  /** Keyset page by (name, id). $1 after-name and $2 after-id (null: from the start), $3 limit, $4 tenant (null: any). */
  list: `
    SELECT ${SCHEDULE_COLUMNS} FROM schedules s
    WHERE ($1::text IS NULL OR (s.name, s.id) > ($1, $2::uuid)) AND ($4::text IS NULL OR s.tenant = $4)
    ORDER BY s.name, s.id LIMIT $3`,

  /** A definition change: bumps version so an evaluation that read the old one cannot overwrite it. */
  update: `
    WITH updated AS (
      UPDATE schedules SET name = $2, cron = $3, timezone = $4, job_type = $5, job_payload = $6::jsonb,
        job_max_attempts = $7, job_priority = $8, enabled = $9, misfire_policy = $10, overlap_policy = $11,
        next_fire_time = $12, misfired_since = CASE WHEN $9 THEN misfired_since ELSE NULL END,
        version = version + 1, updated_at = clock_timestamp()
      WHERE id = $1
      RETURNING *
    ) SELECT ${SCHEDULE_COLUMNS} FROM updated s`,

  delete: `WITH deleted AS (DELETE FROM schedules WHERE id = $1 AND ($2::text IS NULL OR tenant = $2) RETURNING id) SELECT id FROM deleted`,

  /** Enabled schedules whose next fire time has come, oldest first. $1 limit. */
  findDue: `
    SELECT ${SCHEDULE_COLUMNS} FROM schedules s
    WHERE s.enabled AND s.next_fire_time <= clock_timestamp()
    ORDER BY s.next_fire_time LIMIT $1`,

  /**
   * Stores an evaluation's outcome, only if the definition is unchanged ($2 version) and the evaluator
   * still holds the lock ($9 name, $10 token): a node that lost its lock cannot move a schedule.
   * $3 next fire, $4 last fire time, $5 last job id, $6 misfire detected at, $7 fired on time, $8 error.
   */
  recordEvaluation: `
    WITH updated AS (
    UPDATE schedules s SET
      next_fire_time = $3,
      last_fire_time = coalesce($4, s.last_fire_time),
      last_job_id = coalesce($5, s.last_job_id),
      last_misfire_at = coalesce($6, s.last_misfire_at),
      misfire_count = s.misfire_count + CASE WHEN $6::timestamptz IS NULL THEN 0 ELSE 1 END,
      misfired_since = CASE WHEN $7 THEN NULL ELSE coalesce(s.misfired_since, $6) END,
      last_error = $8
    WHERE s.id = $1 AND s.version = $2 AND ${fenceHolds('$9', '$10')}
    RETURNING s.id
    ) SELECT id FROM updated`,

  /** A fire that failed (e.g. its job type is gone): the schedule stays due and is flagged past the grace period. */
  recordFireError: `
    UPDATE schedules s SET last_error = $3
    WHERE s.id = $1 AND s.version = $2 AND ${fenceHolds('$4', '$5')}`,

  /** A manual trigger: the overlap check looks at the job it made. */
  recordManualFire: `UPDATE schedules SET last_job_id = $2, last_fire_time = $3 WHERE id = $1`,
} as const;
