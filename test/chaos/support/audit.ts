import type { ScenarioDb } from './scenario-db.js';

/**
 * Test-side audit triggers on the scenario's schema (installed after the app's migrations, before any
 * job): every committed write to `job_results`, and every committed move of a job row into COMPLETED
 * or change to a COMPLETED row's attempt, result or finish time. A write that rolls back leaves no
 * audit row, so these count exactly what a reader could ever see. Nothing the app does depends on them.
 */
export async function installAudit(db: ScenarioDb): Promise<void> {
  await db.query(`
    CREATE TABLE chaos_result_writes (
      id bigserial PRIMARY KEY, job_id uuid NOT NULL, op text NOT NULL, attempt int, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await db.query(`
    CREATE TABLE chaos_completions (
      id bigserial PRIMARY KEY, job_id uuid NOT NULL, old_status text NOT NULL, old_attempts int, new_attempts int,
      result_changed boolean NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await db.query(`
    CREATE FUNCTION chaos_audit_result() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        INSERT INTO chaos_result_writes (job_id, op, attempt) VALUES (OLD.job_id, TG_OP, OLD.attempt);
      ELSE
        INSERT INTO chaos_result_writes (job_id, op, attempt) VALUES (NEW.job_id, TG_OP, NEW.attempt);
      END IF;
      RETURN NULL;
    END $$`);
  await db.query(`
    CREATE TRIGGER chaos_audit_result AFTER INSERT OR UPDATE OR DELETE ON job_results
    FOR EACH ROW EXECUTE FUNCTION chaos_audit_result()`);
  await db.query(`
    CREATE FUNCTION chaos_audit_completion() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      INSERT INTO chaos_completions (job_id, old_status, old_attempts, new_attempts, result_changed)
      VALUES (NEW.id, OLD.status, OLD.attempts, NEW.attempts, OLD.result_ref IS DISTINCT FROM NEW.result_ref);
      RETURN NULL;
    END $$`);
  await db.query(`
    CREATE TRIGGER chaos_audit_completion AFTER UPDATE ON jobs FOR EACH ROW
    WHEN (NEW.status = 'COMPLETED' AND (
      OLD.status IS DISTINCT FROM 'COMPLETED' OR OLD.attempts IS DISTINCT FROM NEW.attempts
      OR OLD.result_ref IS DISTINCT FROM NEW.result_ref OR OLD.finished_at IS DISTINCT FROM NEW.finished_at))
    EXECUTE FUNCTION chaos_audit_completion()`);
}
