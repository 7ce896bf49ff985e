import type { DataSourceOptions } from 'typeorm';
import { JobEntity } from '../jobs/job.entity.js';
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

export function typeOrmOptions(target: DatabaseTarget, poolSize = 20, timeouts?: DatabaseTimeouts): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    schema: target.schema,
    entities: [JobEntity],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: poolSize,
      ...(timeouts ? { connectionTimeoutMillis: timeouts.connectTimeoutMs, query_timeout: timeouts.queryTimeoutMs } : {}),
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    },
  };
}
