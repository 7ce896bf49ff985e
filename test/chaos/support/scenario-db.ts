import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A scenario's own schema in the suite's PostgreSQL, read with plain SQL. The pool survives the
 * server restarting under it (broken clients are dropped, errors go to the caller).
 */
export class ScenarioDb {
  private readonly pool: pg.Pool;

  private constructor(
    readonly url: string,
    readonly schema: string,
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: 4,
      options: `-c search_path=${schema}`,
      connectionTimeoutMillis: 3000,
      query_timeout: 15_000,
    });
    this.pool.on('error', () => undefined); // an idle client lost to a server restart
  }

  static async create(url: string, label: string): Promise<ScenarioDb> {
    const db = new ScenarioDb(url, `chaos_${label}_${randomBytes(3).toString('hex')}`);
    await db.pool.query(`CREATE SCHEMA "${db.schema}"`);
    return db;
  }

  /** DATABASE_URL + DATABASE_SCHEMA for the scenario's apps. */
  get env(): { DATABASE_URL: string; DATABASE_SCHEMA: string } {
    return { DATABASE_URL: this.url, DATABASE_SCHEMA: this.schema };
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  /** Drops the schema and closes the pool (the suite's own server is simply deleted instead). */
  async drop(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await this.close();
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
