import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook subscriptions, their durable delivery queue (embedded profile) and the attempt log (both profiles). */
export class Webhooks1764400200000 implements MigrationInterface {
  name = 'Webhooks1764400200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        disabled_at timestamptz,
        consecutive_failures int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX webhook_subscriptions_list_idx ON webhook_subscriptions (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX webhook_subscriptions_events_idx ON webhook_subscriptions USING gin (events) WHERE enabled`);

    // One row per (message, endpoint). endpoint_key is the subscription id, or 'callback' for a job's callbackUrl.
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        message_id text NOT NULL,
        endpoint_key text NOT NULL,
        subscription_id uuid REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        url text NOT NULL,
        event_type text NOT NULL,
        job_id uuid,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','delivering','delivered','failed','cancelled')),
        attempts int NOT NULL DEFAULT 0,
        round int NOT NULL DEFAULT 1,
        round_attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        locked_until timestamptz,
        locked_by text,
        handed_off boolean NOT NULL DEFAULT false,
        last_status_code int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT webhook_deliveries_message_endpoint_uq UNIQUE (message_id, endpoint_key)
      )`);
    await db.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX webhook_deliveries_lease_idx ON webhook_deliveries (locked_until) WHERE status = 'delivering'`);
    await db.query(
      `CREATE INDEX webhook_deliveries_not_handed_off_idx ON webhook_deliveries (created_at) WHERE status = 'pending' AND NOT handed_off`,
    );
    await db.query(`CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX webhook_deliveries_job_idx ON webhook_deliveries (job_id) WHERE job_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        round int NOT NULL,
        started_at timestamptz NOT NULL,
        webhook_timestamp bigint NOT NULL,
        status_code int,
        latency_ms int NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('delivered','retry','failed')),
        error text,
        response_excerpt text,
        retry_at timestamptz
      )`);
    await db.query(`CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (delivery_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_delivery_attempts`);
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_subscriptions`);
  }
}
