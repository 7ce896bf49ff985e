import { Module } from '@nestjs/common';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { ProgressModule } from '../progress/progress.module.js';
import { ResultsModule } from '../results/results.module.js';
import { JobExecutor } from './job-executor.js';
import { JobCompletions } from './job-completions.js';
import { JobHandlersModule } from './job-handlers.module.js';

/** The executor: only on nodes that run workers (WorkerPoolModule imports it). */
@Module({
  imports: [JobHandlersModule, JobsPersistenceModule, ProgressModule, ResultsModule],
  providers: [JobExecutor, JobCompletions],
  exports: [JobExecutor, JobHandlersModule],
})
export class WorkersModule {}
