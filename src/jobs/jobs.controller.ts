import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AnyRole, Writers } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { SubmissionBackpressure } from '../tenancy/backlog/submission-backpressure.decorator.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { parsePrefer } from '../common/http/prefer.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { JobAcceptedDto, JobDto, JobListDto, JobStatusDto, JobTransitionDto } from './dto/job-views.dto.js';
import { ListJobsQuery } from './dto/list-jobs.query.js';
import { SubmitJobDto } from './dto/submit-job.dto.js';
import { parseIdempotencyKey } from './idempotency-key.js';
import { JOB_ID_PARAM, JobIdPipe } from './job-id.pipe.js';
import { ResultRedirects } from '../results/result-redirects.js';
import { RESULT_FILE_NAME } from '../results/result-ref.js';
import { POLL_HEADERS, REDIRECT_HEADERS, RESULT_REDIRECT, jobOrRedirect, redirectToResult, resultFile, retryAfterWhileGoing } from './job-responses.js';
import { toJobDto, toJobStatusDto, toTransitionDto } from './job-view.mapper.js';
import { JobsService } from './jobs.service.js';
import { SubmissionAnswers } from './submission-answers.js';
import { SubmissionDocs } from './submission-docs.js';
import { Audited } from '../common/audit/audited.decorator.js';

const uuid = new JobIdPipe();

@ApiTags('jobs')
@AnyRole()
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly redirects: ResultRedirects,
    private readonly answers: SubmissionAnswers,
  ) {}

  @Post()
  @Writers()
  @SubmissionBackpressure()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'submitJob',
    summary: 'Submit a job',
    description: 'Answers at once; follow statusUrl, progressUrl or a webhook. 404: the payload names something the job type cannot find for your tenant (e.g. a video.transcode uploadId).',
  })
  @SubmissionDocs('/jobs', 'Accepted; the job runs in the background')
  @ProblemResponses(404, 409, 422)
  async submit(
    @Body() body: SubmitJobDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    const { job } = await this.jobs.submit({ ...body, owner: caller.name, tenant: caller.tenant, idempotencyKey: parseIdempotencyKey(idempotencyKey) });
    return this.answers.answer(reply, job, '/jobs', parsePrefer(prefer));
  }

  @Get()
  @ApiOperation({ operationId: 'listJobs', summary: 'List jobs, newest first, with cursor pagination' })
  @ApiOkResponse({ type: JobListDto })
  @ProblemResponses(400, 403)
  async list(@Query() query: ListJobsQuery, @Caller() caller: ApiPrincipal): Promise<JobListDto> {
    const page = await this.jobs.list(query, scopeOf(caller, query.tenant));
    return { items: page.items.map((job) => toJobDto(job)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({
    operationId: 'getJob',
    summary: 'Poll a job (303 to the result once COMPLETED)',
    description:
      'For HTTP clients that follow redirects: 200 with the job while it is not COMPLETED (with Retry-After while it is still going), ' +
      '303 See Other to its result once COMPLETED. Generated clients should poll getJobStatus, which always answers 200.',
  })
  @ApiOkResponse({ type: JobDto, headers: POLL_HEADERS })
  @ApiResponse({
    status: 303,
    description: 'COMPLETED: Location is the result. The body is the job, as on a 200.',
    headers: REDIRECT_HEADERS('/jobs'),
    content: { 'application/json': { schema: { $ref: getSchemaPath(JobDto) } } },
  })
  @ProblemResponses(404)
  async get(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<JobDto> {
    return jobOrRedirect(reply, await this.jobs.get(id, scopeOf(caller)), '/jobs');
  }

  @Get(':id/status')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({
    operationId: 'getJobStatus',
    summary: 'Job status, never a redirect',
    description: 'Always 200: poll it until `status` is COMPLETED (then fetch `resultUrl`), DEAD, CANCELLED or EXPIRED.',
  })
  @ApiOkResponse({ type: JobStatusDto, headers: POLL_HEADERS })
  @ProblemResponses(404)
  async status(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<JobStatusDto> {
    const job = await this.jobs.get(id, scopeOf(caller));
    retryAfterWhileGoing(reply, job);
    return toJobStatusDto(job);
  }

  @Get(':id/history')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'getJobHistory', summary: 'Every state change of the job, oldest first' })
  @ApiOkResponse({ type: [JobTransitionDto] })
  @ProblemResponses(404)
  async history(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal): Promise<JobTransitionDto[]> {
    return (await this.jobs.history(id, scopeOf(caller))).map(toTransitionDto);
  }

  @Get(':id/result')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'getJobResult', summary: 'The result of a COMPLETED job, in the content type the job produced' })
  @ApiOkResponse({ description: 'The result body' })
  @ApiResponse(RESULT_REDIRECT)
  @ProblemResponses(404, 409, 410)
  async result(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply, @Caller() caller: ApiPrincipal) {
    if (this.redirects.enabled && (await redirectToResult(reply, await this.jobs.get(id, scopeOf(caller)), this.redirects))) return;
    return resultFile(await this.jobs.openResult(id, scopeOf(caller)));
  }

  @Get(':id/result/files/:name')
  @ApiParam(JOB_ID_PARAM)
  @ApiParam({ name: 'name', description: 'A file named in the result (e.g. a video rendition or poster)', schema: { type: 'string', pattern: RESULT_FILE_NAME.source } })
  @ApiOperation({ operationId: 'getJobResultFile', summary: 'A named file of a COMPLETED job’s result (a rendition, a poster), in its own content type' })
  @ApiOkResponse({ description: 'The file' })
  @ApiResponse(RESULT_REDIRECT)
  @ProblemResponses(404, 409, 410)
  async resultFile(
    @Param('id', uuid) id: string,
    @Param('name') name: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: ApiPrincipal,
  ) {
    if (this.redirects.enabled) {
      const url = await this.redirects.urlFor(id, await this.jobs.resultFile(id, name, scopeOf(caller)));
      if (url) return void reply.status(303).header('Location', url).header('Cache-Control', 'no-store');
    }
    return resultFile(await this.jobs.openResultFile(id, name, scopeOf(caller)));
  }

  @Audited({ action: 'job.cancel' })
  @Post(':id/cancel')
  @Writers()
  @HttpCode(200)
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'cancelJob', summary: 'Cancel a job that has not finished; a running handler is aborted' })
  @ApiOkResponse({ type: JobDto })
  @ProblemResponses(404, 409)
  async cancel(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal): Promise<JobDto> {
    return toJobDto(await this.jobs.cancel(id, scopeOf(caller)));
  }
}
