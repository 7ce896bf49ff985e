import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobReplays1764400400000 implements MigrationInterface {
  name = 'JobReplays1764400400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE job_replays (
        id bigserial PRIMARY KEY,
        dead_job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        new_job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        payload_changed boolean NOT NULL,
        replayed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX job_replays_dead_idx ON job_replays (dead_job_id, id)`);
    await db.query(`CREATE UNIQUE INDEX job_replays_new_uq ON job_replays (new_job_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE job_replays`);
  }
}
