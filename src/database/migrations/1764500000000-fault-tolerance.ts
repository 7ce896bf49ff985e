import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the fault guarantees need: when a job became QUEUED (to rescue undelivered dispatches),
 * interruptions counted apart from failures, the Kafka record that started the attempt, transitions that carry pending side effects (the
 * transactional outbox of job events), the attempt that wrote a result, result expiry, the worker
 * registry (which node can run which type), and indexes for retention.
 */
export class FaultTolerance1764500000000 implements MigrationInterface {
  name = 'FaultTolerance1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE jobs
        ADD COLUMN queued_at timestamptz NULL,
        ADD COLUMN interruptions int NOT NULL DEFAULT 0,
        ADD COLUMN result_expires_at timestamptz NULL,
        ADD COLUMN dispatch_origin jsonb NULL`);
    await db.query(`UPDATE jobs SET queued_at = updated_at WHERE status = 'QUEUED'`);
    await db.query(`CREATE INDEX jobs_queued_since_idx ON jobs (queued_at) WHERE status = 'QUEUED'`);
    await db.query(`CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL`);
    await db.query(`CREATE INDEX jobs_result_expiry_idx ON jobs (result_expires_at) WHERE result_ref IS NOT NULL`);

    await db.query(`
      ALTER TABLE job_transitions
        ADD COLUMN detail jsonb NULL,
        ADD COLUMN effects_pending boolean NOT NULL DEFAULT false`);
    await db.query(`CREATE INDEX job_transitions_effects_idx ON job_transitions (id) WHERE effects_pending`);

    await db.query(`ALTER TABLE job_results ADD COLUMN attempt int NULL`);

    await db.query(`
      CREATE TABLE job_workers (
        id text PRIMARY KEY,
        job_types text[] NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(
      `CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (updated_at)
       WHERE status IN ('delivered', 'failed', 'cancelled')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_deliveries_finished_idx`);
    await db.query(`DROP TABLE job_workers`);
    await db.query(`ALTER TABLE job_results DROP COLUMN attempt`);
    await db.query(`DROP INDEX job_transitions_effects_idx`);
    await db.query(`ALTER TABLE job_transitions DROP COLUMN effects_pending, DROP COLUMN detail`);
    await db.query(`DROP INDEX jobs_result_expiry_idx`);
    await db.query(`DROP INDEX jobs_finished_idx`);
    await db.query(`DROP INDEX jobs_queued_since_idx`);
    await db.query(`ALTER TABLE jobs DROP COLUMN dispatch_origin, DROP COLUMN result_expires_at, DROP COLUMN interruptions, DROP COLUMN queued_at`);
  }
}
