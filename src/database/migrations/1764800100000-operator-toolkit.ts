import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator's toolkit: attempt diagnostics on the history (which worker ran an attempt, the
 * trimmed stack of its failure — kept off the job's public error), API keys managed at run time
 * (digests only), and one row per dead-job alert window (so an alert fires once per window across nodes).
 */
export class OperatorToolkit1764800100000 implements MigrationInterface {
  name = 'OperatorToolkit1764800100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE job_transitions ADD COLUMN diagnostics jsonb NULL`);

    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        label text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'submitter', 'reader')),
        tenant text NOT NULL,
        digest bytea NOT NULL UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX api_keys_label_uq ON api_keys (label)`);
    await db.query(`CREATE INDEX api_keys_list_idx ON api_keys (created_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE dead_job_alerts (
        job_type text NOT NULL,
        window_start timestamptz NOT NULL,
        dead_count int NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_type, window_start)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dead_job_alerts`);
    await db.query(`DROP TABLE api_keys`);
    await db.query(`ALTER TABLE job_transitions DROP COLUMN diagnostics`);
  }
}
