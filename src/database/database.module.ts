import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseTargetToken } from './database-target.js';
import { CommitHooks } from './commit-hooks.js';
import { PgNotifications } from './pg-notifications.js';
import {
  typeOrmOptions,
  type DatabaseTarget,
  type DatabaseTimeouts,
  type EntityList,
} from './typeorm-options.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(
    target: DatabaseTarget,
    timeouts: DatabaseTimeouts,
    entities: EntityList,
  ): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot(typeOrmOptions(target, 20, timeouts, entities))],
      providers: [{ provide: DatabaseTargetToken, useValue: target }, PgNotifications, CommitHooks],
      exports: [DatabaseTargetToken, PgNotifications, CommitHooks],
    };
  }
}
