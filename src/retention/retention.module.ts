import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { SchedulerLockModule } from '../scheduler/lock/scheduler-lock.module.js';
import { RetentionRegistry } from './retention-registry.js';
import { RetentionTask } from './retention-task.js';

/** What expires and when: features register pruners; scheduler nodes run them under the `retention` lock. */
@Global()
@Module({})
export class RetentionModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RetentionModule,
      imports: [SchedulerLockModule],
      providers: [RetentionRegistry, ...(config.runsScheduler ? [RetentionTask] : [])],
      exports: [RetentionRegistry],
    };
  }
}
