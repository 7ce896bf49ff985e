import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AnyRole } from '../auth/access.decorator.js';
import { ANONYMOUS } from '../auth/authentication.js';
import { Caller } from '../auth/caller.decorator.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { Problems } from '../common/problem/problem.exception.js';
import { JOB_ID_PARAM, JobIdPipe } from '../jobs/job-id.pipe.js';
import { parseEventId } from './sse/event-id.js';
import { ProgressStreams } from './sse/progress-streams.js';
import { ProgressEventData, SnapshotEventData, StatusEventData } from './sse/sse-events.dto.js';
import { parseJobIds } from './sse/job-ids.query.js';

const EVENTS_DESCRIPTION = `A \`text/event-stream\` (the schema is the raw stream). Events, each with a JSON \`data:\` line:
| event | when | data schema |
|---|---|---|
| \`snapshot\` | first event of a fresh stream | SnapshotEventData |
| \`progress\` | the running attempt reported (coalesced: latest value, in order) | ProgressEventData |
| \`status\` | the job changed state (one per row of \`/jobs/{id}/history\`) | StatusEventData |
Each event has an id \`<transitionId>-<progressVersion>\`; reconnect with \`Last-Event-ID\` to receive what you
missed (every status change after it, then the current progress). A comment line (\`: heartbeat\`) keeps idle
connections open. The stream ends after the terminal status event (COMPLETED, DEAD, CANCELLED, EXPIRED) and, at the
latest, after the server's time limit (it then sends a \`retry:\` hint: reconnect with Last-Event-ID).
The AsyncAPI document (/asyncapi.json) describes the same events.`;
const sseContent = {
  'text/event-stream': {
    schema: { type: 'string', description: 'Server-Sent Events; see the operation description for the event types' },
    example:
      'retry: 2000\n\nid: 17-1764400000000\nevent: snapshot\ndata: {"jobId":"6f1c2a4e-0000-4000-8000-000000000000","status":"RUNNING",...}\n\n' +
      'id: 17-1764400000250\nevent: progress\ndata: {"jobId":"6f1c2a4e-0000-4000-8000-000000000000","attempt":1,"percent":60,"message":"step 3/5","updatedAt":"2026-11-29T12:00:00.250Z"}\n\n',
  },
};
const SSE_HEADERS_DOC = {
  'Cache-Control': { description: 'no-cache, no-store, no-transform', schema: { type: 'string' } },
};

@ApiTags('jobs')
@ApiExtraModels(SnapshotEventData, ProgressEventData, StatusEventData)
@AnyRole()
@Controller('jobs')
export class ProgressController {
  constructor(private readonly streams: ProgressStreams) {}

  @Get('progress')
  @ApiOperation({ operationId: 'followJobsProgress',
    summary: 'Follow many jobs on one stream (dashboards)',
    description: `${EVENTS_DESCRIPTION}\n\nEvery job gets a \`snapshot\` first; events carry \`jobId\` and no ids. The stream ends when every job is finished. Unknown ids are skipped.`,
  })
  @ApiQuery({
    name: 'ids',
    required: true,
    description: 'Comma-separated job ids (1 to 100)',
    schema: { type: 'string' },
    example: '6f1c2a4e-0000-4000-8000-000000000000,9a2b2a4e-0000-4000-8000-000000000000',
  })
  @ApiOkResponse({ description: 'Server-Sent Events', content: sseContent, headers: SSE_HEADERS_DOC })
  @ProblemResponses(400, 404)
  async many(@Query('ids') ids: string | undefined, @Caller() caller: ApiPrincipal, @Res() reply: FastifyReply): Promise<void> {
    const jobIds = parseJobIds(ids);
    if (!(await this.streams.streamJobs(jobIds, reply, scopeOf(caller), streamOwner(caller, reply))))
      throw Problems.jobNotFound(jobIds.join(',').slice(0, 100));
  }

  @Get(':id/progress')
  @ApiParam(JOB_ID_PARAM)
  @ApiOperation({ operationId: 'followJobProgress',
    summary: 'Follow a job: Server-Sent Events of progress and status',
    description: EVENTS_DESCRIPTION,
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this event id (EventSource sends it when it reconnects)',
  })
  @ApiOkResponse({ description: 'Server-Sent Events', content: sseContent, headers: SSE_HEADERS_DOC })
  @ApiResponse({
    status: 204,
    description:
      'Resumed after the terminal event: nothing more will come (EventSource stops reconnecting)',
  })
  @ProblemResponses(404)
  async one(
    @Param('id', JobIdPipe) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Caller() caller: ApiPrincipal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!(await this.streams.streamJob(id, parseEventId(lastEventId), reply, scopeOf(caller), streamOwner(caller, reply))))
      throw Problems.jobNotFound(id);
  }
}

/** Whose quota of open streams a stream counts against: the key, or the client address without keys. */
function streamOwner(caller: ApiPrincipal, reply: FastifyReply): string {
  return caller === ANONYMOUS ? `address:${reply.request.ip}` : `key:${caller.name}`;
}
