import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AnyRole, Writers } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { SubmissionBackpressure } from '../tenancy/backlog/submission-backpressure.decorator.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { JobAcceptedDto, JobDto, JobListDto, JobStatusDto, JobTransitionDto } from './dto/job-views.dto.js';
import { ListJobsQuery } from './dto/list-jobs.query.js';
import { SubmitJobDto } from './dto/submit-job.dto.js';
import { parseIdempotencyKey } from './idempotency-key.js';
import { JobIdPipe } from './job-id.pipe.js';
import { ResultRedirects } from '../results/result-redirects.js';
import { ACCEPTED_HEADERS, RESULT_CONTENT, RESULT_REDIRECT, accepted, jobOrRedirect, redirectToResult, resultFile } from './job-responses.js';
import { toJobDto, toJobStatusDto, toTransitionDto } from './job-view.mapper.js';
import { JobsService } from './jobs.service.js';

const uuid = new JobIdPipe();

@ApiTags('jobs')
@AnyRole()
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly redirects: ResultRedirects,
  ) {}

  @Post()
  @Writers()
  @SubmissionBackpressure()
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit a job', description: 'Answers at once; follow statusUrl, progressUrl or a webhook.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key + same body → same job; other body → 409.' })
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'Accepted; the job runs in the background', headers: ACCEPTED_HEADERS('/jobs') })
  @ProblemResponses(400, 409, 413, 422)
  async submit(
    @Body() body: SubmitJobDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    const { job } = await this.jobs.submit({ ...body, owner: caller.name, tenant: caller.tenant, idempotencyKey: parseIdempotencyKey(idempotencyKey) });
    return accepted(reply, job, '/jobs');
  }

  @Get()
  @ApiOperation({ summary: 'List jobs, newest first, with cursor pagination' })
  @ApiOkResponse({ type: JobListDto })
  @ProblemResponses(400, 403)
  async list(@Query() query: ListJobsQuery, @Caller() caller: ApiPrincipal): Promise<JobListDto> {
    const page = await this.jobs.list(query, scopeOf(caller, query.tenant));
    return { items: page.items.map((job) => toJobDto(job)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Poll a job', description: '303 to the result when COMPLETED; 200 otherwise (with the error once DEAD or CANCELLED).' })
  @ApiOkResponse({ type: JobDto })
  @ApiResponse({ status: 303, description: 'COMPLETED: see Location /jobs/{id}/result' })
  @ProblemResponses(404)
  async get(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<JobDto> {
    return jobOrRedirect(reply, await this.jobs.get(id, scopeOf(caller)), '/jobs');
  }

  @Get(':id/status')
  @ApiOperation({ summary: 'Job status that never redirects (for clients that cannot follow 303)' })
  @ApiOkResponse({ type: JobStatusDto })
  @ProblemResponses(404)
  async status(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal): Promise<JobStatusDto> {
    return toJobStatusDto(await this.jobs.get(id, scopeOf(caller)));
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every state change of the job, oldest first' })
  @ApiOkResponse({ type: [JobTransitionDto] })
  @ProblemResponses(404)
  async history(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal): Promise<JobTransitionDto[]> {
    return (await this.jobs.history(id, scopeOf(caller))).map(toTransitionDto);
  }

  @Get(':id/result')
  @ApiOperation({ summary: 'Fetch the result of a COMPLETED job (JSON or CSV, as the job produced)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The result body', content: RESULT_CONTENT })
  @ApiResponse(RESULT_REDIRECT)
  @ProblemResponses(404, 409, 410)
  async result(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply, @Caller() caller: ApiPrincipal) {
    if (this.redirects.enabled && (await redirectToResult(reply, await this.jobs.get(id, scopeOf(caller)), this.redirects))) return;
    return resultFile(await this.jobs.openResult(id, scopeOf(caller)));
  }

  @Post(':id/cancel')
  @Writers()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a job that has not finished; a running handler is aborted' })
  @ApiOkResponse({ type: JobDto })
  @ProblemResponses(404, 409)
  async cancel(@Param('id', uuid) id: string, @Caller() caller: ApiPrincipal): Promise<JobDto> {
    return toJobDto(await this.jobs.cancel(id, scopeOf(caller)));
  }
}
