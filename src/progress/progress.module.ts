import { Module } from '@nestjs/common';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { progressAdapters } from './progress-adapters.js';
import { ProgressController } from './progress.controller.js';
import { JobOutcomeWaiter } from './job-outcome-waiter.js';
import { ProgressHub } from './progress-hub.js';
import { ProgressTracker } from './progress-tracker.port.js';
import { ProgressStreams } from './sse/progress-streams.js';

/** Live progress: the tracker handlers report to, the shared change subscription, and the SSE streams. */
@Module({
  imports: [JobsPersistenceModule],
  controllers: [ProgressController],
  providers: [...progressAdapters, ProgressHub, ProgressStreams, JobOutcomeWaiter],
  exports: [ProgressTracker, JobOutcomeWaiter],
})
export class ProgressModule {}
