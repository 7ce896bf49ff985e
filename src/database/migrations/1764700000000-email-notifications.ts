import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email notifications: a job's own `notify` targets, tenants' email subscriptions, and the email
 * channel's durable delivery queue and attempt log (the same shape and rules as the webhook tables).
 */
export class EmailNotifications1764700000000 implements MigrationInterface {
  name = 'EmailNotifications1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN notify jsonb`);

    await db.query(`
      CREATE TABLE email_subscriptions (
        id uuid PRIMARY KEY,
        tenant text NOT NULL,
        address text NOT NULL,
        events text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX email_subscriptions_list_idx ON email_subscriptions (tenant, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX email_subscriptions_events_idx ON email_subscriptions USING gin (events)`);

    // One row per (message, recipient): a job's notify list and a subscription naming the same address send one email.
    await db.query(`
      CREATE TABLE email_deliveries (
        id uuid PRIMARY KEY,
        tenant text NOT NULL,
        message_id text NOT NULL,
        subscription_id uuid REFERENCES email_subscriptions (id) ON DELETE SET NULL,
        recipient text NOT NULL,
        event_type text NOT NULL,
        job_id uuid,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','delivering','delivered','failed','cancelled')),
        attempts int NOT NULL DEFAULT 0,
        round int NOT NULL DEFAULT 1,
        round_attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        locked_until timestamptz,
        locked_by text,
        handed_off boolean NOT NULL DEFAULT false,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT email_deliveries_message_recipient_uq UNIQUE (message_id, recipient)
      )`);
    await db.query(`CREATE INDEX email_deliveries_due_idx ON email_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX email_deliveries_lease_idx ON email_deliveries (locked_until) WHERE status = 'delivering'`);
    await db.query(`CREATE INDEX email_deliveries_not_handed_off_idx ON email_deliveries (created_at) WHERE status = 'pending' AND NOT handed_off`);
    await db.query(`CREATE INDEX email_deliveries_finished_idx ON email_deliveries (updated_at) WHERE status IN ('delivered','failed','cancelled')`);
    await db.query(`CREATE INDEX email_deliveries_job_idx ON email_deliveries (job_id) WHERE job_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE email_delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES email_deliveries (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        round int NOT NULL,
        started_at timestamptz NOT NULL,
        latency_ms int NOT NULL,
        smtp_code int,
        outcome text NOT NULL CHECK (outcome IN ('delivered','retry','failed')),
        error text,
        retry_at timestamptz
      )`);
    await db.query(`CREATE INDEX email_delivery_attempts_delivery_idx ON email_delivery_attempts (delivery_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE email_delivery_attempts`);
    await db.query(`DROP TABLE email_deliveries`);
    await db.query(`DROP TABLE email_subscriptions`);
    await db.query(`ALTER TABLE jobs DROP COLUMN notify`);
  }
}
