import { Module } from '@nestjs/common';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { DueJobsSweeper } from './due-jobs-sweeper.js';
import { JobQueue } from './job-queue.port.js';
import { LocalJobQueue } from './local/local-job-queue.js';

@Module({
  imports: [JobsPersistenceModule],
  providers: [{ provide: JobQueue, useClass: LocalJobQueue }, DueJobsSweeper],
  exports: [JobQueue, DueJobsSweeper],
})
export class QueueModule {}
