import pg from 'pg';

export interface DatabaseTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

/** SQLSTATEs meaning "someone else created it first". */
const ALREADY_EXISTS = new Set(['42P04', '23505']);

/** Creates `target.database` if it does not exist yet. Returns true when it was created. */
export async function ensureDatabase(target: DatabaseTarget): Promise<boolean> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  // A connection dropped mid-way surfaces as a rejected query; do not let it crash the process as an 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [
      target.database,
    ]);
    if (found.rowCount) return false;
    try {
      await client.query(`create database ${client.escapeIdentifier(target.database)}`);
      return true;
    } catch (error) {
      if (ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}
