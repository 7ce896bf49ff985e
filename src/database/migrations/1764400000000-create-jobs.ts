import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateJobs1764400000000 implements MigrationInterface {
  name = 'CreateJobs1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','QUEUED','RUNNING','FAILED','COMPLETED','DEAD','CANCELLED')),
        priority int NOT NULL DEFAULT 0,
        attempts int NOT NULL DEFAULT 0,
        max_attempts int NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
        run_at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz,
        lease_expires_at timestamptz,
        locked_by text,
        progress_percent int NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
        progress_message text,
        result_ref jsonb,
        last_error jsonb,
        idempotency_key text,
        request_hash text,
        owner text NOT NULL DEFAULT 'anonymous',
        callback_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX jobs_idempotency_key_uq ON jobs (owner, idempotency_key)`);
    await db.query(
      `CREATE INDEX jobs_queued_claim_idx ON jobs (priority DESC, run_at, created_at) WHERE status = 'QUEUED'`,
    );
    await db.query(`CREATE INDEX jobs_pending_due_idx ON jobs (run_at) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX jobs_failed_due_idx ON jobs (next_attempt_at) WHERE status = 'FAILED'`);
    await db.query(`CREATE INDEX jobs_running_lease_idx ON jobs (lease_expires_at) WHERE status = 'RUNNING'`);
    await db.query(`CREATE INDEX jobs_list_idx ON jobs (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX jobs_status_list_idx ON jobs (status, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX jobs_type_list_idx ON jobs (type, created_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE job_transitions (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        attempt int NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`CREATE INDEX job_transitions_job_idx ON job_transitions (job_id, id)`);

    await db.query(`
      CREATE TABLE job_results (
        job_id uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
        content_type text NOT NULL,
        body bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE job_results`);
    await db.query(`DROP TABLE job_transitions`);
    await db.query(`DROP TABLE jobs`);
  }
}
