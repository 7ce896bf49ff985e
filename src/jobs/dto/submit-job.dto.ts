import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsObject, IsString, IsUrl, Matches, Max, Min, ValidateNested } from 'class-validator';
import { JobNotifyDto } from '../../notifications/dto/job-notify.dto.js';
import { Optional } from '../../common/validation/optional.js';
import { MAX_QUEUE_TTL_SECONDS, MAX_RUN_TIMEOUT_SECONDS } from '../domain/time-limits.js';

export const JOB_TYPE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class SubmitJobDto {
  @ApiProperty({ example: 'sleep', pattern: JOB_TYPE_PATTERN.source, description: 'A registered job type (see the 422 answer for the list).' })
  @IsString()
  @Matches(JOB_TYPE_PATTERN, { message: 'type must be 1-64 characters of a-z, 0-9, ".", "_" or "-"' })
  type: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { ms: 3000, steps: 3 }, description: 'Validated against the job type’s payload schema.' })
  @Optional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'integer', minimum: -1000, maximum: 1000, default: 0, description: 'Higher runs first.' })
  @Optional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-01T02:00:00Z', description: 'Do not start before this instant.' })
  @Optional()
  @IsISO8601({ strict: true })
  runAt?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 31_536_000, description: 'Alternative to runAt: start after this many seconds.' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  delaySeconds?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'Failed attempts before DEAD; when absent, the server setting JOB_MAX_ATTEMPTS.' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_RUN_TIMEOUT_SECONDS,
    description: 'Run timeout: an attempt running longer fails with code TIMEOUT (its handler’s abort signal fires; the attempt counts). When absent, the job type’s own limit, if it has one.',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_RUN_TIMEOUT_SECONDS)
  timeoutSeconds?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_QUEUE_TTL_SECONDS,
    description: 'Queue-wait TTL: a job not started this many seconds after it fell due (now, or runAt / delaySeconds) becomes EXPIRED (event job.expired). When absent, the job type’s own TTL, if it has one.',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_QUEUE_TTL_SECONDS)
  queueTtlSeconds?: number;

  @ApiPropertyOptional({ format: 'uri', example: 'https://example.com/hooks/longhaul', description: 'Receives this job’s webhook events.' })
  @Optional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  callbackUrl?: string;

  @ApiPropertyOptional({ type: () => JobNotifyDto, description: 'Who else hears about this job’s events (email).' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => JobNotifyDto)
  notify?: JobNotifyDto;
}
