import { Module } from '@nestjs/common';
import { ProgressModule } from '../progress/progress.module.js';
import { ResultsModule } from '../results/results.module.js';
import { JobsPersistenceModule } from './jobs-persistence.module.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';
import { SubmissionAnswers } from './submission-answers.js';
import { JobRetention } from './job-retention.js';
import { JobRetentionRepository } from './job-retention.repository.js';
import { JobTypesModule } from './types/job-types.module.js';

@Module({
  imports: [JobsPersistenceModule, JobTypesModule, ProgressModule, ResultsModule],
  controllers: [JobsController],
  providers: [JobsService, SubmissionAnswers, JobRetentionRepository, JobRetention],
  exports: [JobsService, SubmissionAnswers, JobsPersistenceModule, JobTypesModule],
})
export class JobsModule {}
