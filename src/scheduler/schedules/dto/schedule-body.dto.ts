import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { JOB_TYPE_PATTERN } from '../../../jobs/dto/submit-job.dto.js';
import {
  MISFIRE_POLICIES,
  OVERLAP_POLICIES,
  type MisfirePolicy,
  type OverlapPolicy,
} from '../../domain/misfire-policy.js';
import { IsCronExpression, IsIanaTimeZone } from './schedule-validators.js';
import { Optional } from '../../../common/validation/optional.js';

export class ScheduleJobDto {
  @ApiProperty({
    example: 'report',
    pattern: JOB_TYPE_PATTERN.source,
    description: 'A registered job type (422 lists the valid ones).',
  })
  @IsString()
  @Matches(JOB_TYPE_PATTERN, {
    message: 'type must be 1-64 characters of a-z, 0-9, ".", "_" or "-"',
  })
  type: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { from: '2026-11-28T00:00:00Z', to: '2026-11-29T00:00:00Z' },
    description: 'Validated against the job type’s payload schema.',
  })
  @Optional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'Failed attempts before DEAD; when absent, the server setting JOB_MAX_ATTEMPTS at each fire.' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: -1000, maximum: 1000, default: 0 })
  @Optional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;
}

export class CreateScheduleDto {
  @ApiProperty({ example: 'nightly-report', minLength: 1, maxLength: 200, description: 'Unique.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    example: '0 2 * * *',
    description: '5 fields, or 6 with seconds first (e.g. "0/2 * * * * *": every two seconds).',
  })
  @IsString()
  @IsCronExpression()
  cron: string;

  @ApiPropertyOptional({
    example: 'Europe/Berlin',
    default: 'UTC',
    description: 'IANA time zone the cron expression is read in (DST-aware).',
  })
  @Optional()
  @IsString()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiProperty({ type: ScheduleJobDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleJobDto)
  job: ScheduleJobDto;

  @ApiPropertyOptional({ default: true, description: 'false: created paused.' })
  @Optional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    enum: MISFIRE_POLICIES,
    enumName: 'MisfirePolicy',
    default: 'fire_once',
    description: 'After downtime: one catch-up fire, or skip to the next future time.',
  })
  @Optional()
  @IsIn(MISFIRE_POLICIES)
  misfirePolicy?: MisfirePolicy;

  @ApiPropertyOptional({
    enum: OVERLAP_POLICIES,
    enumName: 'OverlapPolicy',
    default: 'skip',
    description: 'skip: no fire while the previous fire’s job has not finished.',
  })
  @Optional()
  @IsIn(OVERLAP_POLICIES)
  overlapPolicy?: OverlapPolicy;
}

/** Any subset; absent fields stay as they are. `job`, when given, replaces the whole job definition. No defaults here: a PATCH changes only what it names. */
export class UpdateScheduleDto {
  @ApiPropertyOptional({ example: 'nightly-report', minLength: 1, maxLength: 200, description: 'Unique.' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: '0 2 * * *', description: '5 fields, or 6 with seconds first.' })
  @Optional()
  @IsString()
  @IsCronExpression()
  cron?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone the cron expression is read in (DST-aware).' })
  @Optional()
  @IsString()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ type: ScheduleJobDto, description: 'Replaces the whole job definition.' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleJobDto)
  job?: ScheduleJobDto;

  @ApiPropertyOptional({ description: 'false pauses, true resumes.' })
  @Optional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: MISFIRE_POLICIES, enumName: 'MisfirePolicy' })
  @Optional()
  @IsIn(MISFIRE_POLICIES)
  misfirePolicy?: MisfirePolicy;

  @ApiPropertyOptional({ enum: OVERLAP_POLICIES, enumName: 'OverlapPolicy' })
  @Optional()
  @IsIn(OVERLAP_POLICIES)
  overlapPolicy?: OverlapPolicy;
}
