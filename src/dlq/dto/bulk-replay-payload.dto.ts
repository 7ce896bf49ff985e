import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { Optional } from '../../common/validation/optional.js';
import { DeadLetterFilterDto } from './dead-letter.dto.js';

@ApiSchema({ description: 'The payload of a `dlq.replay` job (started by POST /admin/dlq/replay only)' })
export class BulkReplayPayloadDto {
  @ApiProperty({ type: DeadLetterFilterDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DeadLetterFilterDto)
  filter: DeadLetterFilterDto;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  ratePerSecond: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @Optional()
  @IsObject()
  payloadPatch?: Record<string, unknown>;
}

export class BulkReplayResultDto {
  @ApiProperty({ type: 'integer' }) matched: number;
  @ApiProperty({ type: 'integer' }) replayed: number;
  @ApiProperty({ type: 'integer', description: 'Already replayed by another request (including those replayed before this run reached them)' }) skipped: number;
  @ApiProperty({ type: 'integer', description: 'Refused (e.g. the patched payload is invalid); see the logs' }) failed: number;
}
