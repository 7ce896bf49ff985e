import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The scheduler: its distributed lock table, persistent schedules, and the schedule link on jobs. */
export class Scheduling1764400100000 implements MigrationInterface {
  name = 'Scheduling1764400100000';

  async up(db: QueryRunner): Promise<void> {
    // ShedLock's table, readable by operators: who holds which lock until when (database clock).
    await db.query(`
      CREATE TABLE scheduler_locks (
        name text PRIMARY KEY,
        lock_until timestamptz NOT NULL,
        locked_at timestamptz NOT NULL,
        locked_by text NOT NULL,
        fencing_token bigint NOT NULL CHECK (fencing_token > 0)
      )`);

    await db.query(`
      CREATE TABLE schedules (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        cron text NOT NULL,
        timezone text NOT NULL,
        job_type text NOT NULL,
        job_payload jsonb NOT NULL,
        job_max_attempts int CHECK (job_max_attempts BETWEEN 1 AND 100),
        job_priority int NOT NULL DEFAULT 0,
        enabled boolean NOT NULL,
        misfire_policy text NOT NULL CHECK (misfire_policy IN ('fire_once', 'skip')),
        overlap_policy text NOT NULL CHECK (overlap_policy IN ('skip', 'allow')),
        next_fire_time timestamptz,
        last_fire_time timestamptz,
        last_job_id uuid,
        last_misfire_at timestamptz,
        misfired_since timestamptz,
        misfire_count int NOT NULL DEFAULT 0,
        last_error text,
        version int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`CREATE INDEX schedules_due_idx ON schedules (next_fire_time) WHERE enabled`);

    // No foreign key: a job keeps its schedule id (and stays filterable) after the schedule is deleted.
    await db.query(`
      ALTER TABLE jobs
        ADD COLUMN schedule_id uuid NULL,
        ADD COLUMN schedule_fire_time timestamptz NULL,
        ADD COLUMN fencing_token bigint NULL`);
    await db.query(
      `CREATE INDEX jobs_schedule_list_idx ON jobs (schedule_id, created_at DESC, id DESC) WHERE schedule_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX jobs_schedule_list_idx`);
    await db.query(
      `ALTER TABLE jobs DROP COLUMN fencing_token, DROP COLUMN schedule_fire_time, DROP COLUMN schedule_id`,
    );
    await db.query(`DROP TABLE schedules`);
    await db.query(`DROP TABLE scheduler_locks`);
  }
}
