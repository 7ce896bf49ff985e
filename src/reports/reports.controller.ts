import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AnyRole, Writers } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { ANONYMOUS } from '../auth/authentication.js';
import { SubmissionBackpressure } from '../tenancy/backlog/submission-backpressure.decorator.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { CROSS_TENANT } from '../common/tenant.js';
import { parsePrefer } from '../common/http/prefer.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { Problems } from '../common/problem/problem.exception.js';
import { JobAcceptedDto, JobDto } from '../jobs/dto/job-views.dto.js';
import { parseIdempotencyKey } from '../jobs/idempotency-key.js';
import { JOB_ID_PARAM, JobIdPipe } from '../jobs/job-id.pipe.js';
import { POLL_HEADERS, REDIRECT_HEADERS, RESULT_REDIRECT, jobOrRedirect, redirectToResult, resultFile } from '../jobs/job-responses.js';
import type { Job } from '../jobs/job.js';
import { JobsService } from '../jobs/jobs.service.js';
import { SubmissionAnswers } from '../jobs/submission-answers.js';
import { SubmissionDocs } from '../jobs/submission-docs.js';
import { ResultRedirects } from '../results/result-redirects.js';
import { ReportRequestDto } from './report-request.dto.js';

const uuid = new JobIdPipe();
const REPORT = 'report';

/** The seed's Spring example, mirrored: each report is a job of type `report`. */
@ApiTags('reports')
@AnyRole()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly redirects: ResultRedirects,
    private readonly answers: SubmissionAnswers,
  ) {}

  @Post()
  @Writers()
  @SubmissionBackpressure()
  @HttpCode(202)
  @ApiOperation({ operationId: 'requestReport', summary: 'Request an activity report (a `report` job)' })
  @SubmissionDocs('/reports', 'Accepted; the report is generated in the background')
  @ProblemResponses(409)
  async request(
    @Body() body: ReportRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    const { tenant, ...parameters } = body;
    // The report covers the job's tenant (see ReportHandler): admin keys choose one, or all with
    // CROSS_TENANT; without API keys everything is the one default tenant.
    const scope = caller === ANONYMOUS ? scopeOf(caller, tenant ?? caller.tenant) : scopeOf(caller, tenant);
    const { job } = await this.jobs.submit({
      type: REPORT,
      payload: parameters,
      owner: caller.name,
      tenant: scope.all ? CROSS_TENANT : scope.tenant,
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
  async get(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<JobDto> {
    return jobOrRedirect(reply, await this.report(id, caller), '/reports');
  }

  @Get(':id/result')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'getReportResult', summary: 'The finished report, as JSON or CSV (the format it was requested in)' })
  @ApiOkResponse({ description: 'The report' })
  @ApiResponse(RESULT_REDIRECT)
  @ProblemResponses(404, 409, 410)
  async result(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply, @Caller() caller: ApiPrincipal) {
    if (await redirectToResult(reply, await this.report(id, caller), this.redirects)) return;
    return resultFile(await this.jobs.openResult(id, scopeOf(caller)));
  }

  private async report(id: string, caller: ApiPrincipal): Promise<Job> {
    const job = await this.jobs.get(id, scopeOf(caller));
    if (job.type !== REPORT) throw Problems.jobNotFound(id);
    return job;
  }
}
