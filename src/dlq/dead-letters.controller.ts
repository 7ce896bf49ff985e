import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AdminOnly } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { SubmissionBackpressure } from '../tenancy/backlog/submission-backpressure.decorator.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { JobAcceptedDto } from '../jobs/dto/job-views.dto.js';
import { IDEMPOTENCY_KEY_SCHEMA, parseIdempotencyKey } from '../jobs/idempotency-key.js';
import { JOB_ID_PARAM, JobIdPipe } from '../jobs/job-id.pipe.js';
import { ACCEPTED_HEADERS, accepted } from '../jobs/job-responses.js';
import type { Job } from '../jobs/job.js';
import { toJobDto } from '../jobs/job-view.mapper.js';
import { DeadLettersService } from './dead-letters.service.js';
import type { JobReplay } from './job-replays.repository.js';
import { DeadLetterDto, DeadLetterListDto, DeadLettersQuery, ReplayDto } from './dto/dead-letter.dto.js';
import { Audited, noteForAudit } from '../common/audit/audited.decorator.js';

function toDeadLetterDto(job: Job, replays: JobReplay[]): DeadLetterDto {
  return {
    ...toJobDto(job),
    replays: replays
      .filter((replay) => replay.deadJobId === job.id)
      .map((replay) => ({ jobId: replay.newJobId, payloadChanged: replay.payloadChanged, replayedAt: replay.replayedAt.toISOString() })),
  };
}

@ApiTags('dead-letters')
@AdminOnly()
@Controller('admin/dlq')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ operationId: 'listDeadLetters', summary: 'Dead jobs (attempts exhausted), newest first, with their replays' })
  @ApiOkResponse({ type: DeadLetterListDto })
  @ProblemResponses(400)
  async list(@Query() query: DeadLettersQuery, @Caller() caller: ApiPrincipal): Promise<DeadLetterListDto> {
    const page = await this.deadLetters.list({ type: query.type, cursor: query.cursor, limit: query.limit }, scopeOf(caller, query.tenant));
    const replays = await this.deadLetters.replaysOf(page.items.map((job) => job.id));
    return { items: page.items.map((job) => toDeadLetterDto(job, replays)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'getDeadLetter', summary: 'One dead job, its last error and its replays' })
  @ApiOkResponse({ type: DeadLetterDto })
  @ProblemResponses(404, 409)
  async get(@Param('id', JobIdPipe) id: string, @Caller() caller: ApiPrincipal): Promise<DeadLetterDto> {
    const { job, replays } = await this.deadLetters.get(id, scopeOf(caller));
    return toDeadLetterDto(job, replays);
  }

  @Audited({ action: 'dlq.replay', details: ({ answer, body }) => ({ newJobId: (answer as { jobId?: string } | undefined)?.jobId ?? null, payloadChanged: (body as { payload?: unknown } | undefined)?.payload !== undefined }) })
  @Post(':id/replay')
  @SubmissionBackpressure()
  @HttpCode(202)
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'replayDeadLetter', summary: 'Replay a dead job as a new job (optionally with a corrected payload)' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: IDEMPOTENCY_KEY_SCHEMA,
    description: 'Makes a double-clicked replay create one job',
  })
  @ApiAcceptedResponse({ type: JobAcceptedDto, headers: ACCEPTED_HEADERS('/jobs') })
  @ProblemResponses(404, 409, 422)
  async replay(
    @Param('id', JobIdPipe) id: string,
    @Body() body: ReplayDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    const { job } = await this.deadLetters.replay(id, { ...body, idempotencyKey: parseIdempotencyKey(idempotencyKey) }, scopeOf(caller));
    noteForAudit(reply.request, { tenant: job.tenant });
    return accepted(reply, job, '/jobs');
  }
}
