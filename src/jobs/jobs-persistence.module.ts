import { Module } from '@nestjs/common';
import { JobEvents } from './job-events.js';
import { JobsRepository } from './jobs.repository.js';

@Module({
  providers: [JobsRepository, JobEvents],
  exports: [JobsRepository, JobEvents],
})
export class JobsPersistenceModule {}
