import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { WorkersModule } from './workers.module.js';
import { WorkerPool } from './worker-pool.js';
import { WorkerPresence } from './worker-presence.js';

/** Sits above the jobs module: workers accept external job requests through JobsService. Imported only where workers run. */
@Module({
  imports: [JobsModule, WorkersModule],
  providers: [WorkerPool, WorkerPresence],
})
export class WorkerPoolModule {}
