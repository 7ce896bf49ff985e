import pg from 'pg';
import { DataSource } from 'typeorm';
import { typeOrmOptions, type DatabaseTarget } from './typeorm-options.js';

const MIGRATION_LOCK_KEY = 7_264_001;

/** Creates the schema if asked and runs pending migrations once, even with many nodes starting together. */
export async function migrate(target: DatabaseTarget): Promise<string[]> {
  const lockClient = new pg.Client({ connectionString: target.url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    if (target.schema) await lockClient.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
    const dataSource = new DataSource(typeOrmOptions(target, 2));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}
