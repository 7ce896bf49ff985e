import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenancy: every job, schedule, webhook subscription and delivery belongs to a tenant. Existing
 * jobs go to the tenant named like their owner (the default tenant of keys without one), or to
 * `default` for anonymous, Kafka and scheduled jobs; the daily report, which covers everyone, to
 * `*` (admins only). Idempotency keys and schedule names are unique per tenant, so one tenant
 * cannot learn of another's by a conflict. The delivery log no longer keeps receivers' replies.
 */
export class Tenancy1764600000000 implements MigrationInterface {
  name = 'Tenancy1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN tenant text NOT NULL DEFAULT 'default'`);
    await db.query(
      `UPDATE jobs SET tenant = CASE
         WHEN owner = 'scheduler' AND schedule_id IS NULL AND type = 'report' THEN '*'
         WHEN owner IN ('anonymous', 'scheduler', 'kafka') THEN 'default'
         WHEN owner ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' THEN owner
         ELSE 'default' END`,
    );
    await db.query(`DROP INDEX jobs_idempotency_key_uq`);
    await db.query(`CREATE UNIQUE INDEX jobs_idempotency_key_uq ON jobs (tenant, owner, idempotency_key)`);
    await db.query(`CREATE INDEX jobs_tenant_list_idx ON jobs (tenant, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX jobs_tenant_backlog_idx ON jobs (tenant) WHERE status IN ('PENDING', 'QUEUED', 'RUNNING', 'FAILED')`);

    await db.query(`ALTER TABLE schedules ADD COLUMN tenant text NOT NULL DEFAULT 'default'`);
    await db.query(`ALTER TABLE schedules DROP CONSTRAINT schedules_name_key`);
    await db.query(`CREATE UNIQUE INDEX schedules_tenant_name_uq ON schedules (tenant, name)`);
    await db.query(`CREATE INDEX schedules_list_idx ON schedules (name, id)`);

    await db.query(`ALTER TABLE webhook_subscriptions ADD COLUMN tenant text NOT NULL DEFAULT 'default'`);
    await db.query(`CREATE INDEX webhook_subscriptions_tenant_list_idx ON webhook_subscriptions (tenant, created_at DESC, id DESC)`);
    await db.query(`ALTER TABLE webhook_deliveries ADD COLUMN tenant text NOT NULL DEFAULT 'default'`);
    await db.query(
      `UPDATE webhook_deliveries d SET tenant = coalesce(
         (SELECT s.tenant FROM webhook_subscriptions s WHERE s.id = d.subscription_id),
         (SELECT j.tenant FROM jobs j WHERE j.id = d.job_id),
         'default')`,
    );
    await db.query(`ALTER TABLE webhook_delivery_attempts DROP COLUMN response_excerpt`);

    for (const table of ['jobs', 'schedules', 'webhook_subscriptions', 'webhook_deliveries']) {
      await db.query(`ALTER TABLE ${table} ALTER COLUMN tenant DROP DEFAULT`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_delivery_attempts ADD COLUMN response_excerpt text`);
    await db.query(`ALTER TABLE webhook_deliveries DROP COLUMN tenant`);
    await db.query(`DROP INDEX webhook_subscriptions_tenant_list_idx`);
    await db.query(`ALTER TABLE webhook_subscriptions DROP COLUMN tenant`);
    await db.query(`DROP INDEX schedules_list_idx`);
    await db.query(`DROP INDEX schedules_tenant_name_uq`);
    await db.query(`ALTER TABLE schedules ADD CONSTRAINT schedules_name_key UNIQUE (name)`);
    await db.query(`ALTER TABLE schedules DROP COLUMN tenant`);
    await db.query(`DROP INDEX jobs_tenant_backlog_idx`);
    await db.query(`DROP INDEX jobs_tenant_list_idx`);
    await db.query(`DROP INDEX jobs_idempotency_key_uq`);
    await db.query(`CREATE UNIQUE INDEX jobs_idempotency_key_uq ON jobs (owner, idempotency_key)`);
    await db.query(`ALTER TABLE jobs DROP COLUMN tenant`);
  }
}
