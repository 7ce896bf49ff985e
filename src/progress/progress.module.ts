import { Module } from '@nestjs/common';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { progressAdapters } from './progress-adapters.js';
import { ProgressController } from './progress.controller.js';
import { JobOutcomeWaiter } from './job-outcome-waiter.js';
import { ProgressHub } from './progress-hub.js';
import { ProgressTracker } from './progress-tracker.port.js';
import { ProgressStreams } from './sse/progress-streams.js';
import { SseStatusChannel } from './sse/sse-status-channel.js';

/**
 * Live progress: the tracker handlers report to, the shared change subscription, the SSE streams, and
 * the SSE channel of the notification port that feeds them state changes.
 */
@Module({
  imports: [JobsPersistenceModule, NotificationsModule],
  controllers: [ProgressController],
  providers: [...progressAdapters, ProgressHub, ProgressStreams, JobOutcomeWaiter, SseStatusChannel],
  exports: [ProgressTracker, JobOutcomeWaiter],
})
export class ProgressModule {}
