import { IsInt, IsObject, IsOptional, IsString, IsUUID, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { JOB_TYPE_PATTERN } from '../../jobs/dto/submit-job.dto.js';

/**
 * The Kafka message contract (docs/kafka-job-message.schema.json). Producers outside longhaul and
 * longhaul's own outbox relay both write this shape to the jobs topic.
 */
export class JobMessage {
  @IsString()
  @Matches(JOB_TYPE_PATTERN)
  type: string;

  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;

  @IsOptional()
  @IsUUID('4')
  jobId?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotencyKey?: string;

  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  callbackUrl?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;
}
