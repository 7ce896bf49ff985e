import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kafka messages that never became jobs (the ones copied to the dead letter topic), kept where an
 * operator can list, correct and replay them: the topic holds the bytes, this table makes them findable.
 */
export class DeadMessages1764900100000 implements MigrationInterface {
  name = 'DeadMessages1764900100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE dead_messages (
        id uuid PRIMARY KEY,
        topic text NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        message_key bytea,
        value bytea,
        value_truncated boolean NOT NULL DEFAULT false,
        headers jsonb NOT NULL,
        code text NOT NULL,
        reason text NOT NULL,
        tenant text,
        failed_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz,
        replay_job_id uuid,
        replayed_by text
      )`);
    await db.query(`CREATE UNIQUE INDEX dead_messages_origin_uq ON dead_messages (topic, partition, "offset")`);
    await db.query(`CREATE INDEX dead_messages_list_idx ON dead_messages (failed_at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dead_messages`);
  }
}
