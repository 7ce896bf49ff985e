import type { DataSource, EntityManager } from 'typeorm';

/** Where a statement runs: any pooled connection, or a transaction's. */
export type SqlTarget = DataSource | EntityManager | Pick<EntityManager, 'query'>;

interface PgClient {
  query<R>(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: R[] }>;
}

/**
 * A statement of a hot path that PostgreSQL parses and plans once per connection (a node-postgres named
 * statement), run on the connection of the transaction it is given, else on any pooled one; it skips
 * TypeORM's per-query machinery too. Its SQL names the columns it reads from tables: with `*`, a column
 * that a newer release adds while this one still runs would fail every later execution ("cached plan
 * must not change result type").
 */
export class PreparedStatement<R> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  async rows(on: SqlTarget, values: readonly unknown[]): Promise<R[]> {
    const client = await clientOf(on);
    if (!client) return (on as Pick<EntityManager, 'query'>).query<R[]>(this.text, [...values]);
    return (await client.query<R>({ name: this.name, text: this.text, values })).rows;
  }
}

/** The pg connection behind a TypeORM target; none for anything else that can run a query (it then runs unprepared). */
async function clientOf(on: SqlTarget): Promise<PgClient | null> {
  const target = on as Partial<DataSource & EntityManager>;
  // Inside a transaction: its own connection (connect() answers the one the runner already holds).
  if (target.queryRunner) return (await target.queryRunner.connect()) as PgClient;
  const source = target.driver ? (on as DataSource) : target.connection;
  return source ? (source.driver as unknown as { master: PgClient }).master : null;
}
