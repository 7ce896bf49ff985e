import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseTarget {
  url: string;
  schema: string | undefined;
}

/** Bounds on waiting for the database, so that an outage gives quick errors (503) rather than hung requests. */
export interface DatabaseTimeouts {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
}

/** The entity classes the app registers (TypeORM's own type for them). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

export function typeOrmOptions(
  target: DatabaseTarget,
  poolSize = 20,
  timeouts?: DatabaseTimeouts,
  entities: EntityList = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    schema: target.schema,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: poolSize,
      ...(timeouts
        ? {
            connectionTimeoutMillis: timeouts.connectTimeoutMs,
            query_timeout: timeouts.queryTimeoutMs,
          }
        : {}),
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    },
  };
}
