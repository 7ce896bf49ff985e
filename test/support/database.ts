import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The shared test database (PostgreSQL on loopback, trust auth). Every suite works in a schema of its own. */
export const TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  name: string;
  /** DATABASE_URL + DATABASE_SCHEMA for an app that should use this schema. */
  env: { DATABASE_URL: string; DATABASE_SCHEMA: string };
  /** Runs SQL with this schema first on the search path. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the schema and closes the pool; call after every app using it has stopped. */
  drop(): Promise<void>;
}

/** Creates a fresh, empty schema (the app migrates it on start). */
export async function createTestSchema(label = 'e2e'): Promise<TestSchema> {
  const name = `${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(5).toString('hex')}`;
  const pool = new pg.Pool({
    connectionString: TEST_DATABASE_URL,
    max: 3,
    options: `-c search_path=${name}`,
  });
  await pool.query(`CREATE SCHEMA "${name}"`);
  return {
    name,
    env: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: name },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async drop() {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}

/** Every move of one job, oldest first (the `to` column of job_transitions). */
export async function transitionsOf(schema: TestSchema, jobId: string): Promise<string[]> {
  const rows = await schema.query<{ to_status: string }>(
    `SELECT to_status FROM job_transitions WHERE job_id = $1 ORDER BY id`,
    [jobId],
  );
  return rows.map((row) => row.to_status);
}
