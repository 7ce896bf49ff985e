import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES_BEFORE = `'PENDING','QUEUED','RUNNING','FAILED','COMPLETED','DEAD','CANCELLED'`;

/**
 * Time limits: a run timeout per job (each attempt is failed once it runs longer) and a start deadline
 * (a job not started by then becomes EXPIRED, a terminal status). Both decided at submission; the
 * deadline is a time of the database's clock.
 */
export class TimeLimits1764900000000 implements MigrationInterface {
  name = 'TimeLimits1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN run_timeout_ms integer NULL CONSTRAINT jobs_run_timeout_ms_check CHECK (run_timeout_ms > 0)`);
    await db.query(`ALTER TABLE jobs ADD COLUMN start_deadline timestamptz NULL`);
    await db.query(`ALTER TABLE jobs DROP CONSTRAINT jobs_status_check`);
    await db.query(`ALTER TABLE jobs ADD CONSTRAINT jobs_status_check CHECK (status IN (${STATUSES_BEFORE},'EXPIRED'))`);
    await db.query(
      `CREATE INDEX jobs_start_deadline_idx ON jobs (start_deadline) WHERE status IN ('PENDING', 'QUEUED') AND start_deadline IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX jobs_start_deadline_idx`);
    await db.query(`UPDATE jobs SET status = 'DEAD' WHERE status = 'EXPIRED'`);
    await db.query(`ALTER TABLE jobs DROP CONSTRAINT jobs_status_check`);
    await db.query(`ALTER TABLE jobs ADD CONSTRAINT jobs_status_check CHECK (status IN (${STATUSES_BEFORE}))`);
    await db.query(`ALTER TABLE jobs DROP COLUMN start_deadline`);
    await db.query(`ALTER TABLE jobs DROP COLUMN run_timeout_ms`);
  }
}
