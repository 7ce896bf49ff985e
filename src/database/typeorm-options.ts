import type { DataSourceOptions } from 'typeorm';
import { JobEntity } from '../jobs/job.entity.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseTarget {
  url: string;
  schema: string | undefined;
}

export function typeOrmOptions(target: DatabaseTarget, poolSize = 20): DataSourceOptions {
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
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    },
  };
}
