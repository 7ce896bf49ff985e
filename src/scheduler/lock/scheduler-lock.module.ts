import { Module } from '@nestjs/common';
import { PostgresSchedulerLockProvider } from './adapters/postgres-scheduler-lock.provider.js';
import { LockingTaskExecutor } from './locking-task-executor.js';
import { SchedulerLockProvider } from './scheduler-lock.provider.js';

/** Both profiles share PostgreSQL, so one adapter serves both; a Redis or ZooKeeper one would bind here. */
@Module({
  providers: [
    { provide: SchedulerLockProvider, useClass: PostgresSchedulerLockProvider },
    LockingTaskExecutor,
  ],
  exports: [SchedulerLockProvider, LockingTaskExecutor],
})
export class SchedulerLockModule {}
