import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { ProgressModule } from '../progress/progress.module.js';
import { ResultsModule } from '../results/results.module.js';
import { JobExecutor } from './job-executor.js';
import { JobCompletions } from './job-completions.js';
import { JobHandlerRegistry } from './job-handler.registry.js';

@Module({
  imports: [DiscoveryModule, JobsPersistenceModule, ProgressModule, ResultsModule],
  providers: [JobHandlerRegistry, JobExecutor, JobCompletions],
  exports: [JobHandlerRegistry, JobExecutor],
})
export class WorkersModule {}
