import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsString, IsUUID, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { JobNotifyDto } from '../../notifications/dto/job-notify.dto.js';
import { Optional } from '../../common/validation/optional.js';
import { JOB_TYPE_PATTERN } from '../../jobs/dto/submit-job.dto.js';
import { MAX_QUEUE_TTL_SECONDS, MAX_RUN_TIMEOUT_SECONDS } from '../../jobs/domain/time-limits.js';

/**
 * The Kafka message contract (docs/kafka-job-message.schema.json, and the AsyncAPI document). Producers
 * outside longhaul and longhaul's own outbox relay both write this shape to the jobs topic.
 */
export class JobMessage {
  @ApiProperty({ pattern: JOB_TYPE_PATTERN.source, description: 'The job type: a handler registered on the workers' })
  @IsString()
  @Matches(JOB_TYPE_PATTERN)
  type: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Validated like the HTTP body’s payload; defaults to {}' })
  @Optional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'A producer-chosen job id (UUID v4): the job becomes GET /jobs/{jobId}; a second message with it makes no second job' })
  @Optional()
  @IsUUID('4')
  jobId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'Without a jobId: messages with the same key (and content) make one job. Defaults to kafka:<topic>:<partition>:<offset>' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotencyKey?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'http(s) URL notified (signed webhook) of the job’s events' })
  @Optional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  callbackUrl?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'Failed attempts before DEAD; when absent, the server setting JOB_MAX_ATTEMPTS' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_RUN_TIMEOUT_SECONDS, description: 'Run timeout of each attempt in seconds (code TIMEOUT); else the job type’s' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_RUN_TIMEOUT_SECONDS)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_QUEUE_TTL_SECONDS, description: 'Not started this many seconds after it fell due: EXPIRED; else the job type’s TTL' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_QUEUE_TTL_SECONDS)
  queueTtlSeconds?: number;

  @ApiPropertyOptional({ type: JobNotifyDto, description: 'Email addresses told about the job’s events, as on POST /jobs' })
  @Optional()
  @ValidateNested()
  @Type(() => JobNotifyDto)
  notify?: JobNotifyDto;
}
