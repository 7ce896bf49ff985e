import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsObject, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query.js';
import { Optional } from '../../common/validation/optional.js';
import { TENANT_PATTERN } from '../../common/tenant.js';

/** ?code=&tenant=&from=&to=&replayed=&cursor=&limit= of the dead message list. */
export class DeadMessagesQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 64, example: 'INVALID_MESSAGE', description: 'Only messages dead-lettered with this code (x-dlt-code)' })
  @Optional()
  @IsString()
  @MaxLength(64)
  code?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only messages dead-lettered at or after this time' })
  @Optional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only messages dead-lettered before this time' })
  @Optional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only replayed messages; false: only those not replayed yet' })
  @Optional()
  @IsIn(['true', 'false'])
  replayed?: 'true' | 'false';
}

export class DeadMessageOriginDto {
  @ApiProperty() topic: string;
  @ApiProperty({ type: 'integer' }) partition: number;
  @ApiProperty({ description: 'The offset, as a decimal string' }) offset: string;
}

export class DeadMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: DeadMessageOriginDto, description: 'Where the message was read from' }) origin: DeadMessageOriginDto;
  @ApiProperty({ example: 'INVALID_MESSAGE', description: 'Why it never became a job: NOT_UTF8, NOT_JSON, INVALID_MESSAGE, UNSTORABLE_TEXT, TOO_LARGE, TYPE_MISMATCH or the refusal’s code' })
  code: string;
  @ApiProperty({ description: 'The reason, as on the dead letter topic (x-dlt-reason)' }) reason: string;
  @ApiProperty({ nullable: true, type: String, description: 'The tenant its x-tenant header named (null: none, or not a tenant name)' }) tenant: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The key, as UTF-8 text' }) key: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The value as UTF-8 text (null when empty or not UTF-8; see valueBase64)' }) value: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'byte', description: 'The value’s bytes, when they are not UTF-8' }) valueBase64: string | null;
  @ApiProperty({ description: 'Only the first MiB of the value was kept (a replay needs a corrected message)' }) valueTruncated: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'The message’s headers, as text' }) headers: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) failedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) replayedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The job its replay created' }) replayJobId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who replayed it (key name)' }) replayedBy: string | null;
}

export class DeadMessageListDto {
  @ApiProperty({ type: [DeadMessageDto] }) items: DeadMessageDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last page' })
  nextCursor: string | null;
}

export class ReplayDeadMessageDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { type: 'sleep', payload: { ms: 100 } },
    description: 'The corrected message (the Kafka message contract: type, payload, jobId, idempotencyKey, …). Absent: the original value, read again.',
  })
  @Optional()
  @IsObject()
  message?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The tenant the job belongs to; default: the one its x-tenant header named, else KAFKA_DEFAULT_TENANT' })
  @Optional()
  @IsString()
  @Matches(TENANT_PATTERN, { message: 'tenant must be a tenant name' })
  tenant?: string;
}
