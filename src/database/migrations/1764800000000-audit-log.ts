import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: append-only. A trigger refuses UPDATE and TRUNCATE always, and DELETE unless the
 * deleting transaction says it is the retention pass (`SET LOCAL longhaul.audit_retention = 'on'`),
 * so no code path of the API can change or remove a row by mistake. The time is the database's.
 */
export class AuditLog1764800000000 implements MigrationInterface {
  name = 'AuditLog1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor text NOT NULL,
        actor_role text NOT NULL,
        tenant text NOT NULL,
        action text NOT NULL,
        target text,
        remote_address text,
        request_id text,
        details jsonb
      )`);
    await db.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await db.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC)`);
    await db.query(`CREATE INDEX audit_log_tenant_idx ON audit_log (tenant, id DESC)`);
    await db.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor, id DESC)`);
    await db.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('longhaul.audit_retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    );
    await db.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
