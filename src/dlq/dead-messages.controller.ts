import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AdminOnly } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { Audited, noteForAudit } from '../common/audit/audited.decorator.js';
import { UuidOr404 } from '../common/validation/uuid-or-404.pipe.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { JobAcceptedDto } from '../jobs/dto/job-views.dto.js';
import { ACCEPTED_HEADERS, accepted } from '../jobs/job-responses.js';
import type { DeadMessage } from '../queue/dead-messages/dead-messages.repository.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { tenantParam } from '../tenancy/tenant-scope.js';
import { DeadMessagesService, deadMessageNotFound } from './dead-messages.service.js';
import { DeadMessageDto, DeadMessageListDto, DeadMessagesQuery, ReplayDeadMessageDto } from './dto/dead-message.dto.js';

const MESSAGE_ID_PARAM = { name: 'id', format: 'uuid', description: 'The dead message id' } as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const messageId = new UuidOr404(deadMessageNotFound);

function text(bytes: Buffer | null): string | null {
  if (!bytes || bytes.length === 0) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function toDto(message: DeadMessage): DeadMessageDto {
  const value = text(message.value);
  return {
    id: message.id,
    origin: message.origin,
    code: message.code,
    reason: message.reason,
    tenant: message.tenant,
    key: message.key ? message.key.toString('utf8') : null,
    value,
    valueBase64: value === null && message.value && message.value.length > 0 ? message.value.toString('base64') : null,
    valueTruncated: message.valueTruncated,
    headers: message.headers,
    failedAt: message.failedAt.toISOString(),
    replayedAt: message.replayedAt?.toISOString() ?? null,
    replayJobId: message.replayJobId,
    replayedBy: message.replayedBy,
  };
}

@ApiTags('dead-letters')
@AdminOnly()
@Controller('admin/dlq/messages')
export class DeadMessagesController {
  constructor(private readonly messages: DeadMessagesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listDeadMessages',
    summary: 'Kafka messages that never became jobs (the dead letter topic), newest first',
    description: 'Each with its reason, code, headers and where it was read from; replay one once it is corrected.',
  })
  @ApiOkResponse({ type: DeadMessageListDto })
  @ProblemResponses(400)
  async list(@Query() query: DeadMessagesQuery, @Caller() caller: ApiPrincipal): Promise<DeadMessageListDto> {
    const page = await this.messages.list(
      {
        code: query.code,
        tenant: tenantParam(scopeOf(caller, query.tenant)) ?? undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        replayed: query.replayed === undefined ? undefined : query.replayed === 'true',
      },
      { cursor: query.cursor, limit: query.limit },
    );
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiParam(MESSAGE_ID_PARAM)
  @ApiOperation({ operationId: 'getDeadMessage', summary: 'One dead-lettered Kafka message' })
  @ApiOkResponse({ type: DeadMessageDto })
  @ProblemResponses(404)
  async get(@Param('id', messageId) id: string): Promise<DeadMessageDto> {
    return toDto(await this.messages.get(id));
  }

  @Post(':id/replay')
  @Audited({
    action: 'dlq.message.replay',
    details: ({ answer, body }) => ({
      newJobId: (answer as { jobId?: string } | undefined)?.jobId ?? null,
      corrected: (body as ReplayDeadMessageDto | undefined)?.message !== undefined,
    }),
  })
  @HttpCode(202)
  @ApiParam(MESSAGE_ID_PARAM)
  @ApiOperation({
    operationId: 'replayDeadMessage',
    summary: 'Submit a dead-lettered message as a job, optionally corrected (once)',
    description: 'The message goes through the same checks as one on the jobs topic. A second replay is 409 with the job of the first.',
  })
  @ApiAcceptedResponse({ type: JobAcceptedDto, headers: ACCEPTED_HEADERS('/jobs') })
  @ProblemResponses(404, 409, 422)
  async replay(
    @Param('id', messageId) id: string,
    @Body() body: ReplayDeadMessageDto,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    const job = await this.messages.replay(id, body, caller.name);
    noteForAudit(reply.request, { tenant: job.tenant });
    return accepted(reply, job, '/jobs');
  }

  @Delete(':id')
  @Audited({ action: 'dlq.message.purge' })
  @HttpCode(204)
  @ApiParam(MESSAGE_ID_PARAM)
  @ApiOperation({ operationId: 'purgeDeadMessage', summary: 'Delete a dead message’s record for good (audited; the topic keeps its copy until its retention)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ProblemResponses(404)
  async purge(@Param('id', messageId) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const gone = await this.messages.purge(id);
    noteForAudit(reply.request, { details: { code: gone.code, topic: gone.origin.topic } });
  }
}
