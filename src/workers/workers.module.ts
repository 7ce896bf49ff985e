import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { ProgressModule } from '../progress/progress.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { ResultsModule } from '../results/results.module.js';
import { JobExecutor } from './job-executor.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { WorkerPool } from './worker-pool.js';

@Module({
  imports: [DiscoveryModule, JobsPersistenceModule, ProgressModule, QueueModule, ResultsModule],
  providers: [JobHandlerRegistry, JobExecutor, WorkerPool],
  exports: [JobHandlerRegistry],
})
export class WorkersModule {}
