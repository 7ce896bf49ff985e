import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, Max, Min } from 'class-validator';
import { JobDto } from '../../jobs/dto/job-views.dto.js';
import { Optional } from '../../common/validation/optional.js';

export class ReplayDto {
  @ApiPropertyOptional({ description: 'A corrected payload; default: the dead job’s payload' })
  @Optional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'Default: the dead job’s maxAttempts' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;
}

export class ReplayLinkDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty() payloadChanged: boolean;
  @ApiProperty({ format: 'date-time' }) replayedAt: string;
}

export class DeadLetterDto extends JobDto {
  @ApiProperty({ type: [ReplayLinkDto], description: 'Jobs submitted as replays of this one' })
  replays: ReplayLinkDto[];
}

export class DeadLetterListDto {
  @ApiProperty({ type: [DeadLetterDto] }) items: DeadLetterDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}
