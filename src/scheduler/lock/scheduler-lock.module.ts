import { Global, Module } from '@nestjs/common';
import { CreationFence } from '../../jobs/creation-fence.port.js';
import { SchedulerLockFence } from './adapters/scheduler-lock-fence.js';
import { PostgresSchedulerLockProvider } from './adapters/postgres-scheduler-lock.provider.js';
import { LockingTaskExecutor } from './locking-task-executor.js';
import { SchedulerLockProvider } from './scheduler-lock.provider.js';

/**
 * Both profiles share PostgreSQL, so one adapter serves both; a Redis or ZooKeeper one would bind here.
 * Global: the job core's CreationFence port is answered by this lock wherever jobs are created.
 */
@Global()
@Module({
  providers: [
    { provide: SchedulerLockProvider, useClass: PostgresSchedulerLockProvider },
    LockingTaskExecutor,
    { provide: CreationFence, useClass: SchedulerLockFence },
  ],
  exports: [SchedulerLockProvider, LockingTaskExecutor, CreationFence],
})
export class SchedulerLockModule {}
