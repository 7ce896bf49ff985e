import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsInt, IsObject, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query.js';
import { JOB_TYPE_PATTERN } from '../../jobs/dto/submit-job.dto.js';
import { JobAcceptedDto, JobDto } from '../../jobs/dto/job-views.dto.js';
import { Optional } from '../../common/validation/optional.js';
import { TENANT_PATTERN } from '../../common/tenant.js';

/** ?type=&errorText=&from=&to=&scheduleId=&parked=&tenant=&cursor=&limit= of the dead letter list (every item is DEAD). */
export class DeadLettersQuery extends PageQuery {
  @ApiPropertyOptional({ pattern: JOB_TYPE_PATTERN.source })
  @Optional()
  @IsString()
  @Matches(JOB_TYPE_PATTERN)
  type?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Only jobs whose last error contains this text (case-insensitive)' })
  @Optional()
  @IsString()
  @MaxLength(200)
  errorText?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only jobs that died at or after this time' })
  @Optional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only jobs that died before this time' })
  @Optional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only jobs created by this persistent schedule' })
  @Optional()
  @IsUUID()
  scheduleId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only parked jobs (replays that died again); false: none of them' })
  @Optional()
  @IsIn(['true', 'false'])
  parked?: 'true' | 'false';
}

@ApiSchema({ description: 'Which dead jobs a bulk replay covers (every field narrows; none: every dead job not yet replayed and not parked)' })
export class DeadLetterFilterDto {
  @ApiPropertyOptional({ pattern: JOB_TYPE_PATTERN.source })
  @Optional()
  @IsString()
  @Matches(JOB_TYPE_PATTERN)
  type?: string;

  @ApiPropertyOptional({ description: 'Only this tenant’s dead jobs' })
  @Optional()
  @IsString()
  @Matches(TENANT_PATTERN, { message: 'tenant must be a tenant name' })
  tenant?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @IsString()
  @MaxLength(200)
  errorText?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  scheduleId?: string;

  @ApiPropertyOptional({ default: false, description: 'Also replay parked jobs (replays that died again)' })
  @Optional()
  @IsBoolean()
  includeParked?: boolean;
}

export class BulkReplayDto {
  @ApiPropertyOptional({ type: DeadLetterFilterDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => DeadLetterFilterDto)
  filter?: DeadLetterFilterDto;

  @ApiPropertyOptional({ default: false, description: 'true: only count and show the first page of what would be replayed' })
  @Optional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 10, description: 'Replays per second' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  ratePerSecond?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Merged (shallowly) into each replayed payload' })
  @Optional()
  @IsObject()
  payloadPatch?: Record<string, unknown>;
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

export class AttemptDto {
  @ApiProperty({ type: 'integer' }) attempt: number;
  @ApiProperty({ nullable: true, type: String, description: 'The worker that ran it' }) worker: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) endedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'FAILED, DEAD, COMPLETED or CANCELLED; null while running' }) outcome: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The first lines of the failure’s stack' }) stack: string | null;
}

export class DeadLetterDto extends JobDto {
  @ApiProperty({ type: [ReplayLinkDto], description: 'Jobs submitted as replays of this one' })
  replays: ReplayLinkDto[];

  @ApiProperty({ description: 'This job is a replay that died again: bulk replays leave it out unless filter.includeParked' })
  parked: boolean;

  @ApiProperty({ type: [AttemptDto], description: 'Every attempt, oldest first' })
  attemptHistory: AttemptDto[];
}

export class DeadLetterListDto {
  @ApiProperty({ type: [DeadLetterDto] }) items: DeadLetterDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class BulkReplayPreviewDto {
  @ApiProperty({ type: 'integer', description: 'How many dead jobs a real run would replay now' }) count: number;
  @ApiProperty({ type: [DeadLetterDto], description: 'The first of them' }) items: DeadLetterDto[];
}

export class BulkReplayAcceptedDto extends JobAcceptedDto {
  @ApiProperty({ type: 'integer', description: 'Dead jobs matching the filter when the run started' }) count: number;
}

