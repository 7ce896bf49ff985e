import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobOutbox1764400300000 implements MigrationInterface {
  name = 'JobOutbox1764400300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE job_outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key text,
        value jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await db.query(`CREATE INDEX job_outbox_unsent_idx ON job_outbox (id) WHERE sent_at IS NULL`);
    await db.query(`CREATE INDEX job_outbox_sent_idx ON job_outbox (sent_at) WHERE sent_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE job_outbox`);
  }
}
