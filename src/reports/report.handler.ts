import { Injectable } from '@nestjs/common';
import { JobHandlerFor } from '../workers/job-handler.decorator.js';
import { PermanentJobError, jsonOutput, type JobContext, type JobHandler, type JobOutput } from '../workers/job-handler.js';
import { ActivityAggregator } from './domain/activity-report.js';
import { renderActivityReportCsv } from './domain/report-csv.js';
import { ActivityReportDto } from './dto/activity-report.dto.js';
import { ReportParametersDto } from './report-request.dto.js';
import { ReportRowsRepository } from './report-rows.repository.js';

const PAGE_SIZE = 1000;

/** The seed's report generation, for real: an activity report over the jobs table, of the report job's own tenant (every tenant for a CROSS_TENANT job). */
@Injectable()
@JobHandlerFor({
  type: 'report',
  payload: ReportParametersDto,
  result: { json: ActivityReportDto, otherContentTypes: ['text/csv'] },
  description: 'Activity report over the jobs table (JSON or CSV)',
})
export class ReportHandler implements JobHandler<ReportParametersDto> {
  constructor(private readonly rows: ReportRowsRepository) {}

  async handle(request: ReportParametersDto, context: JobContext): Promise<JobOutput> {
    const from = new Date(request.from);
    const to = new Date(request.to);
    if (from >= to) throw new PermanentJobError('"from" must be before "to"');
    const tenant = await this.rows.scopeOfReport(context.jobId);
    const total = await this.rows.count(from, to, tenant);
    const aggregator = new ActivityAggregator(request.groupBy ?? 'type');
    context.progress(0, `reading ${total} jobs`);
    let cursor = null;
    for (;;) {
      context.signal.throwIfAborted();
      const page = await this.rows.page(from, to, tenant, cursor, PAGE_SIZE);
      aggregator.add(page);
      const last = page[page.length - 1];
      if (!last) break;
      cursor = { createdAt: last.createdAt, id: last.id };
      context.progress(total === 0 ? 99 : Math.min(99, Math.floor((aggregator.rowsSeen / total) * 100)), `${aggregator.rowsSeen}/${total} jobs read`);
      if (page.length < PAGE_SIZE) break;
    }
    const report = aggregator.finish({ from, to }, new Date());
    context.progress(100, 'report ready');
    return request.format === 'csv'
      ? { kind: 'body', contentType: 'text/csv; charset=utf-8', body: renderActivityReportCsv(report) }
      : jsonOutput(report);
  }
}
