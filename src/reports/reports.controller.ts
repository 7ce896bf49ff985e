import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CallerName } from '../auth/caller.decorator.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { Problems } from '../common/problem/problem.exception.js';
import { JobAcceptedDto, JobDto } from '../jobs/dto/job-views.dto.js';
import { parseIdempotencyKey } from '../jobs/idempotency-key.js';
import { JobIdPipe } from '../jobs/job-id.pipe.js';
import { ACCEPTED_HEADERS, RESULT_CONTENT, RESULT_REDIRECT, accepted, jobOrRedirect, redirectToResult, resultFile } from '../jobs/job-responses.js';
import type { Job } from '../jobs/job.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ResultRedirects } from '../results/result-redirects.js';
import { ReportRequestDto } from './report-request.dto.js';

const uuid = new JobIdPipe();
const REPORT = 'report';

/** The seed's Spring example, mirrored: each report is a job of type `report`. */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly redirects: ResultRedirects,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Request an activity report (a `report` job)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'Accepted; the report is generated in the background', headers: ACCEPTED_HEADERS('/reports') })
  @ProblemResponses(400, 409, 413)
  async request(
    @Body() body: ReportRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CallerName() owner: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    const { job } = await this.jobs.submit({
      type: REPORT,
      payload: { ...body },
      owner,
      idempotencyKey: parseIdempotencyKey(idempotencyKey),
    });
    return accepted(reply, job, '/reports');
  }

  @Get(':id')
  @ApiOperation({ summary: 'Poll a report; 303 to its result when ready' })
  @ApiOkResponse({ type: JobDto })
  @ApiResponse({ status: 303, description: 'COMPLETED: see Location /reports/{id}/result' })
  @ProblemResponses(404)
  async get(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<JobDto> {
    return jobOrRedirect(reply, await this.report(id), '/reports');
  }

  @Get(':id/result')
  @ApiOperation({ summary: 'The finished report' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The report as JSON or CSV', content: RESULT_CONTENT })
  @ApiResponse(RESULT_REDIRECT)
  @ProblemResponses(404, 409, 410)
  async result(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    if (await redirectToResult(reply, await this.report(id), this.redirects)) return;
    return resultFile(await this.jobs.openResult(id));
  }

  private async report(id: string): Promise<Job> {
    const job = await this.jobs.get(id);
    if (job.type !== REPORT) throw Problems.jobNotFound(id);
    return job;
  }
}
