import { TEST_DATABASE_URL } from '../../support/database.js';
import { installAudit } from './audit.js';
import { judgeExactlyOnce, ledgerOf } from './ledger.js';
import { ScenarioDb } from './scenario-db.js';

const JOB = '22222222-2222-4222-8222-222222222222';

/**
 * The audit triggers against the columns of the app's tables they read (on the shared test database):
 * committed writes are counted, rolled-back ones and unrelated updates are not, and the ledger turns
 * them into a failing verdict.
 */
describe('chaos audit triggers', () => {
  let db: ScenarioDb;

  beforeAll(async () => {
    db = await ScenarioDb.create(TEST_DATABASE_URL, 'audit_spec');
    await db.query(`CREATE TABLE jobs (id uuid PRIMARY KEY, status text NOT NULL, attempts int NOT NULL, result_ref jsonb,
      finished_at timestamptz, progress_percent int NOT NULL DEFAULT 0)`);
    await db.query(`CREATE TABLE job_transitions (id bigserial PRIMARY KEY, job_id uuid NOT NULL, to_status text NOT NULL, attempt int NOT NULL)`);
    await db.query(`CREATE TABLE job_results (job_id uuid PRIMARY KEY, attempt int, body bytea NOT NULL)`);
    await installAudit(db);
    await db.query(`INSERT INTO jobs (id, status, attempts) VALUES ($1, 'RUNNING', 1)`, [JOB]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const result = (attempt: number) => Buffer.from(JSON.stringify({ jobId: JOB, attempt }));

  it('counts one completion and one result write, and ignores progress writes and rolled-back writes', async () => {
    await db.query(`
      WITH r AS (INSERT INTO job_results (job_id, attempt, body) VALUES ($1, 1, $2)),
           t AS (INSERT INTO job_transitions (job_id, to_status, attempt) VALUES ($1, 'COMPLETED', 1))
      UPDATE jobs SET status = 'COMPLETED', result_ref = '{"attempt":1}', finished_at = now() WHERE id = $1`,
      [JOB, result(1)],
    );
    await db.query(`UPDATE jobs SET progress_percent = 100 WHERE id = $1`, [JOB]);
    await expect(
      db.query(`WITH r AS (UPDATE job_results SET attempt = 2 WHERE job_id = $1) SELECT 1 / 0`, [JOB]),
    ).rejects.toThrow(/division by zero/);

    expect(judgeExactlyOnce([JOB], await ledgerOf(db, [JOB])).violations).toEqual([]);
  });

  it('catches a stale attempt that overwrites the result and the COMPLETED row', async () => {
    await db.query(`UPDATE job_results SET attempt = 2, body = $2 WHERE job_id = $1`, [JOB, result(2)]);
    await db.query(`UPDATE jobs SET attempts = 2, result_ref = '{"attempt":2}' WHERE id = $1`, [JOB]);

    const verdict = judgeExactlyOnce([JOB], await ledgerOf(db, [JOB]));
    expect(verdict).toMatchObject({ completedTwice: 1, resultOverwrites: 1, resultFromWrongAttempt: 1 });
  });
});
