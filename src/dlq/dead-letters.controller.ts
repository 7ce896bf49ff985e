import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AdminOnly } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { Audited, noteForAudit } from '../common/audit/audited.decorator.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { SubmissionBackpressure } from '../tenancy/backlog/submission-backpressure.decorator.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { tenantParam } from '../tenancy/tenant-scope.js';
import { JobAcceptedDto } from '../jobs/dto/job-views.dto.js';
import { IDEMPOTENCY_KEY_SCHEMA, parseIdempotencyKey } from '../jobs/idempotency-key.js';
import { JOB_ID_PARAM, JobIdPipe } from '../jobs/job-id.pipe.js';
import { ACCEPTED_HEADERS, accepted } from '../jobs/job-responses.js';
import { toJobDto } from '../jobs/job-view.mapper.js';
import { DeadLettersService, bulkFilter, type DeadLetter } from './dead-letters.service.js';
import {
  BulkReplayAcceptedDto,
  BulkReplayDto,
  BulkReplayPreviewDto,
  DeadLetterDto,
  DeadLetterListDto,
  DeadLettersQuery,
  ReplayDto,
} from './dto/dead-letter.dto.js';

const DEFAULT_RATE_PER_SECOND = 10;

function toDeadLetterDto({ job, replays, parked, attempts }: DeadLetter): DeadLetterDto {
  return {
    ...toJobDto(job),
    replays: replays.map((replay) => ({ jobId: replay.newJobId, payloadChanged: replay.payloadChanged, replayedAt: replay.replayedAt.toISOString() })),
    parked,
    attemptHistory: attempts.map((attempt) => ({
      ...attempt,
      startedAt: attempt.startedAt.toISOString(),
      endedAt: attempt.endedAt?.toISOString() ?? null,
    })),
  };
}

@ApiTags('dead-letters')
@AdminOnly()
@Controller('admin/dlq')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ operationId: 'listDeadLetters', summary: 'Dead jobs (attempts exhausted), newest first, with their attempts and replays' })
  @ApiOkResponse({ type: DeadLetterListDto })
  @ProblemResponses(400)
  async list(@Query() query: DeadLettersQuery, @Caller() caller: ApiPrincipal): Promise<DeadLetterListDto> {
    const page = await this.deadLetters.list(
      {
        type: query.type,
        tenant: tenantParam(scopeOf(caller, query.tenant)),
        errorText: query.errorText,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        scheduleId: query.scheduleId,
        parked: query.parked === undefined ? undefined : query.parked === 'true',
      },
      { cursor: query.cursor, limit: query.limit },
    );
    return { items: page.items.map(toDeadLetterDto), nextCursor: page.nextCursor };
  }

  @Post('replay')
  @Audited({
    action: 'dlq.replay.bulk',
    skip: ({ body }) => (body as BulkReplayDto | undefined)?.dryRun === true,
    details: ({ body }) => {
      const request = body as BulkReplayDto | undefined;
      return { filter: request?.filter ?? {}, ratePerSecond: request?.ratePerSecond ?? DEFAULT_RATE_PER_SECOND, payloadPatched: request?.payloadPatch !== undefined };
    },
  })
  @HttpCode(202)
  @ApiOperation({
    operationId: 'bulkReplayDeadLetters',
    summary: 'Replay every dead job a filter matches, at a set rate',
    description:
      'dryRun: 200 with the count and the first page. Otherwise 202 and a `dlq.replay` job (progress, cancel) that replays each matching dead job once, ' +
      'however many runs overlap. Dead jobs already replayed are left out, and so are parked ones (replays that died again) unless filter.includeParked.',
  })
  @ApiOkResponse({ type: BulkReplayPreviewDto, description: 'The dry run' })
  @ApiAcceptedResponse({ type: BulkReplayAcceptedDto, headers: ACCEPTED_HEADERS('/jobs') })
  @ProblemResponses(400)
  async bulkReplay(
    @Body() body: BulkReplayDto,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkReplayPreviewDto | BulkReplayAcceptedDto> {
    const filter = body.filter ?? {};
    const matching = bulkFilter(filter);
    const count = await this.deadLetters.count(matching);
    if (body.dryRun) {
      void reply.status(200);
      const page = await this.deadLetters.list(matching, { limit: 50 });
      return { count, items: page.items.map(toDeadLetterDto) };
    }
    const job = await this.deadLetters.startBulkReplay({ filter, ratePerSecond: body.ratePerSecond ?? DEFAULT_RATE_PER_SECOND, payloadPatch: body.payloadPatch }, caller.name);
    noteForAudit(reply.request, { details: { count, bulkJobId: job.id } });
    return { ...accepted(reply, job, '/jobs'), count };
  }

  @Get(':id')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'getDeadLetter', summary: 'One dead job: its attempts, last error and replays' })
  @ApiOkResponse({ type: DeadLetterDto })
  @ProblemResponses(404, 409)
  async get(@Param('id', JobIdPipe) id: string, @Caller() caller: ApiPrincipal): Promise<DeadLetterDto> {
    return toDeadLetterDto(await this.deadLetters.get(id, scopeOf(caller)));
  }

  @Delete(':id')
  @Audited({ action: 'dlq.purge' })
  @HttpCode(204)
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'purgeDeadLetter', summary: 'Delete a dead job for good, with its history (audited)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ProblemResponses(404, 409)
  async purge(@Param('id', JobIdPipe) id: string, @Caller() caller: ApiPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const job = await this.deadLetters.purge(id, scopeOf(caller));
    noteForAudit(reply.request, { tenant: job.tenant, details: { type: job.type } });
  }

  @Post(':id/replay')
  @Audited({
    action: 'dlq.replay',
    details: ({ answer, body }) => ({
      newJobId: (answer as { jobId?: string } | undefined)?.jobId ?? null,
      payloadChanged: (body as { payload?: unknown } | undefined)?.payload !== undefined,
    }),
  })
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
