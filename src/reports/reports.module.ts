import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { ResultsModule } from '../results/results.module.js';
import { ReportRowsRepository } from './report-rows.repository.js';
import { ReportHandler } from './report.handler.js';
import { ReportsController } from './reports.controller.js';

@Module({
  imports: [JobsModule, ResultsModule],
  controllers: [ReportsController],
  providers: [ReportRowsRepository, ReportHandler],
})
export class ReportsModule {}
