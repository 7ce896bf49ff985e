import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CallerName } from '../auth/caller.decorator.js';
import { parsePrefer } from '../common/http/prefer.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { Problems } from '../common/problem/problem.exception.js';
import { JobAcceptedDto, JobDto } from '../jobs/dto/job-views.dto.js';
import { parseIdempotencyKey } from '../jobs/idempotency-key.js';
import { JOB_ID_PARAM, JobIdPipe } from '../jobs/job-id.pipe.js';
import { POLL_HEADERS, REDIRECT_HEADERS, jobOrRedirect, resultFile } from '../jobs/job-responses.js';
import type { Job } from '../jobs/job.js';
import { JobsService } from '../jobs/jobs.service.js';
import { SubmissionAnswers } from '../jobs/submission-answers.js';
import { SubmissionDocs } from '../jobs/submission-docs.js';
import { ReportRequestDto } from './report-request.dto.js';

const uuid = new JobIdPipe();
const REPORT = 'report';

/** The seed's Spring example, mirrored: each report is a job of type `report`. */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly answers: SubmissionAnswers,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ operationId: 'requestReport', summary: 'Request an activity report (a `report` job)' })
  @SubmissionDocs('/reports', 'Accepted; the report is generated in the background')
  @ProblemResponses(409)
  async request(
    @Body() body: ReportRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @CallerName() owner: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    const { job } = await this.jobs.submit({
      type: REPORT,
      payload: { ...body },
      owner,
      idempotencyKey: parseIdempotencyKey(idempotencyKey),
    });
    return this.answers.answer(reply, job, '/reports', parsePrefer(prefer));
  }

  @Get(':id')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'getReport', summary: 'Poll a report (303 to its result once COMPLETED)' })
  @ApiOkResponse({ type: JobDto, headers: POLL_HEADERS })
  @ApiResponse({
    status: 303,
    description: 'COMPLETED: Location is the report. The body is the job, as on a 200.',
    headers: REDIRECT_HEADERS('/reports'),
    content: { 'application/json': { schema: { $ref: getSchemaPath(JobDto) } } },
  })
  @ProblemResponses(404)
  async get(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<JobDto> {
    return jobOrRedirect(reply, await this.report(id), '/reports');
  }

  @Get(':id/result')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'getReportResult', summary: 'The finished report, as JSON or CSV (the format it was requested in)' })
  @ApiOkResponse({ description: 'The report' })
  @ProblemResponses(404, 409, 410)
  async result(@Param('id', uuid) id: string) {
    await this.report(id);
    return resultFile(await this.jobs.openResult(id));
  }

  private async report(id: string): Promise<Job> {
    const job = await this.jobs.get(id);
    if (job.type !== REPORT) throw Problems.jobNotFound(id);
    return job;
  }
}
