import { QueryRunnerAlreadyReleasedError, type DataSource, type EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from './database-errors.js';

/** Where a statement runs: any pooled connection, or a transaction's. */
export type SqlTarget = DataSource | EntityManager | Pick<EntityManager, 'query'>;

interface PgClient {
  query<R>(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: R[] }>;
}

interface PooledClient extends PgClient {
  release(destroy?: Error | boolean): void;
}

interface PgPool {
  connect(): Promise<PooledClient>;
}

/**
 * A statement of a hot path that PostgreSQL parses and plans once per connection (a node-postgres named
 * statement), run on the connection of the transaction it is given, else on a pooled one; it skips
 * TypeORM's per-query machinery too. Its SQL names the columns it reads from tables: with `*`, a column
 * that a newer release adds while this one still runs would fail every later execution ("cached plan
 * must not change result type"). Named statements need a session per connection (see DATABASE_URL in the
 * README for poolers).
 */
export class PreparedStatement<R> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  async rows(on: SqlTarget, values: readonly unknown[]): Promise<R[]> {
    const target = on as Partial<DataSource & EntityManager>;
    const runner = target.queryRunner;
    if (runner) {
      // TypeORM keeps a released runner's connection: by then it may be serving someone else's transaction.
      if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
      // Inside a transaction: its own connection (connect() answers the one the runner already holds).
      return this.run((await runner.connect()) as PgClient, values);
    }
    const source = target.driver ? (on as DataSource) : target.connection;
    if (!source) return (on as Pick<EntityManager, 'query'>).query<R[]>(this.text, [...values]);
    return this.onPool((source.driver as unknown as { master: PgPool }).master, values);
  }

  /** Unlike pool.query, an ordinary SQL error hands the connection back: only a broken one is closed (and its statements with it). */
  private async onPool(pool: PgPool, values: readonly unknown[]): Promise<R[]> {
    const client = await pool.connect();
    try {
      const rows = await this.run(client, values);
      client.release();
      return rows;
    } catch (error) {
      client.release(isDatabaseUnavailable(error) ? (error as Error) : undefined);
      throw error;
    }
  }

  private async run(client: PgClient, values: readonly unknown[]): Promise<R[]> {
    return (await client.query<R>({ name: this.name, text: this.text, values })).rows;
  }
}
