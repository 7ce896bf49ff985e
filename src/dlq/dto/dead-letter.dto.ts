import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsString, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query.js';
import { JOB_TYPE_PATTERN } from '../../jobs/dto/submit-job.dto.js';
import { JobDto } from '../../jobs/dto/job-views.dto.js';
import { Optional } from '../../common/validation/optional.js';

/** ?type=&cursor=&limit= of the dead letter list (every item is DEAD: there is no status filter). */
export class DeadLettersQuery extends PageQuery {
  @ApiPropertyOptional({ pattern: JOB_TYPE_PATTERN.source })
  @Optional()
  @IsString()
  @Matches(JOB_TYPE_PATTERN)
  type?: string;
}

export class ReplayDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'A corrected payload; default: the dead job’s payload' })
  @Optional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'Default: the dead job’s maxAttempts' })
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
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
