import { Module } from '@nestjs/common';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { MemoryProgressTracker } from './adapters/memory-progress-tracker.js';
import { ProgressTracker } from './progress-tracker.port.js';

@Module({
  imports: [JobsPersistenceModule],
  providers: [{ provide: ProgressTracker, useClass: MemoryProgressTracker }],
  exports: [ProgressTracker],
})
export class ProgressModule {}
