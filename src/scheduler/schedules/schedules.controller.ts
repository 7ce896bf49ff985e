import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import type { ApiPrincipal } from '../../auth/api-keys.js';
import { AnyRole, Writers } from '../../auth/access.decorator.js';
import { Caller } from '../../auth/caller.decorator.js';
import { SubmissionBackpressure } from '../../tenancy/backlog/submission-backpressure.decorator.js';
import { scopeOf } from '../../tenancy/caller-scope.js';
import { ProblemResponses } from '../../common/problem/problem-responses.decorator.js';
import { JobAcceptedDto } from '../../jobs/dto/job-views.dto.js';
import { ACCEPTED_HEADERS, accepted } from '../../jobs/job-responses.js';
import { CreateScheduleDto, UpdateScheduleDto } from './dto/schedule-body.dto.js';
import { PageQuery } from '../../common/pagination/page.query.js';
import { ScheduleDto, ScheduleListDto } from './dto/schedule-views.dto.js';
import { ScheduleIdPipe } from './schedule-id.pipe.js';
import { toScheduleDto } from './schedule-view.mapper.js';
import type { Schedule } from './schedule.js';
import { SchedulesService } from './schedules.service.js';
import { Audited } from '../../common/audit/audited.decorator.js';

const scheduleId = new ScheduleIdPipe();
const ID_PARAM = { name: 'id', format: 'uuid', description: 'Schedule id' } as const;

@ApiTags('schedules')
@AnyRole()
@Controller('schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly config: AppConfig,
  ) {}

  @Audited({ action: 'schedule.create' })
  @Post()
  @Writers()
  @ApiOperation({ operationId: 'createSchedule',
    summary: 'Create a persistent schedule',
    description:
      'Each fire submits the job with idempotency key schedule:{id}:{fireTime}, so a fire makes one job however many nodes run.',
  })
  @ApiCreatedResponse({
    type: ScheduleDto,
    headers: {
      Location: { description: '/schedules/{id}', required: true, schema: { type: 'string', format: 'uri-reference' } },
    },
  })
  @ProblemResponses(409, 422)
  async create(
    @Body() body: CreateScheduleDto,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleDto> {
    const schedule = await this.schedules.create(body, caller.tenant);
    void reply.status(201).header('Location', `/schedules/${schedule.id}`);
    return this.view(schedule);
  }

  @Get()
  @ApiOperation({ operationId: 'listSchedules', summary: 'List schedules by name, with cursor pagination' })
  @ApiOkResponse({ type: ScheduleListDto })
  @ProblemResponses(400, 403)
  async list(@Query() query: PageQuery, @Caller() caller: ApiPrincipal): Promise<ScheduleListDto> {
    const page = await this.schedules.list(query, scopeOf(caller, query.tenant));
    return {
      items: page.items.map((schedule) => this.view(schedule)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getSchedule', summary: 'A schedule with its status and next 5 fire times' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ScheduleDto })
  @ProblemResponses(404)
  async get(@Param('id', scheduleId) id: string, @Caller() caller: ApiPrincipal): Promise<ScheduleDto> {
    return this.view(await this.schedules.get(id, scopeOf(caller)));
  }

  @Audited({ action: 'schedule.update' })
  @Patch(':id')
  @Writers()
  @ApiOperation({ operationId: 'updateSchedule',
    summary: 'Change a schedule',
    description:
      'A new cron or time zone recomputes the next fire time; `job` replaces the whole job definition.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ScheduleDto })
  @ProblemResponses(404, 409, 422)
  async update(
    @Param('id', scheduleId) id: string,
    @Body() body: UpdateScheduleDto,
    @Caller() caller: ApiPrincipal,
  ): Promise<ScheduleDto> {
    return this.view(await this.schedules.update(id, body, scopeOf(caller)));
  }

  @Audited({ action: 'schedule.delete' })
  @Delete(':id')
  @Writers()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteSchedule',
    summary: 'Delete a schedule',
    description: 'Jobs it created stay, still filterable by GET /jobs?scheduleId=.',
  })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ProblemResponses(404)
  async delete(@Param('id', scheduleId) id: string, @Caller() caller: ApiPrincipal): Promise<void> {
    await this.schedules.delete(id, scopeOf(caller));
  }

  @Audited({ action: 'schedule.trigger' })
  @Post(':id/trigger')
  @Writers()
  @SubmissionBackpressure()
  @HttpCode(202)
  @ApiOperation({ operationId: 'triggerSchedule',
    summary: 'Fire the schedule now',
    description:
      'Ignores pause and overlap policy; the job carries the schedule id and now as fire time.',
  })
  @ApiParam(ID_PARAM)
  @ApiAcceptedResponse({ type: JobAcceptedDto, headers: ACCEPTED_HEADERS('/jobs') })
  @ProblemResponses(404, 422)
  async trigger(
    @Param('id', scheduleId) id: string,
    @Caller() caller: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedDto> {
    return accepted(reply, await this.schedules.trigger(id, scopeOf(caller)), '/jobs');
  }

  @Audited({ action: 'schedule.pause' })
  @Post(':id/pause')
  @Writers()
  @HttpCode(200)
  @ApiOperation({ operationId: 'pauseSchedule', summary: 'Pause: no fires until resumed' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ScheduleDto })
  @ProblemResponses(404)
  async pause(@Param('id', scheduleId) id: string, @Caller() caller: ApiPrincipal): Promise<ScheduleDto> {
    return this.view(await this.schedules.pause(id, scopeOf(caller)));
  }

  @Audited({ action: 'schedule.resume' })
  @Post(':id/resume')
  @Writers()
  @HttpCode(200)
  @ApiOperation({ operationId: 'resumeSchedule',
    summary: 'Resume from the next future fire time (fires missed while paused are not made up)',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ScheduleDto })
  @ProblemResponses(404)
  async resume(@Param('id', scheduleId) id: string, @Caller() caller: ApiPrincipal): Promise<ScheduleDto> {
    return this.view(await this.schedules.resume(id, scopeOf(caller)));
  }

  private view(schedule: Schedule): ScheduleDto {
    return toScheduleDto(schedule, this.config.scheduler.misfireGraceMs);
  }
}
