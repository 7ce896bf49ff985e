import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The shared development PostgreSQL (DESIGN.md); each suite works in a schema of its own. */
export const EXTERNAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function freshSchemaName(label: string): string {
  return `lh_${label}_${randomBytes(5).toString('hex')}`;
}

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: EXTERNAL_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  if (!/^lh_[a-z0-9_]+$/.test(schema)) throw new Error(`refusing to drop ${schema}`);
  await withDatabase((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
