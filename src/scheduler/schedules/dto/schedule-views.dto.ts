import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  MISFIRE_POLICIES,
  OVERLAP_POLICIES,
  type MisfirePolicy,
  type OverlapPolicy,
} from '../../domain/misfire-policy.js';
import type { ScheduleStatus } from '../../domain/schedule-status.js';

export class ScheduleJobViewDto {
  @ApiProperty() type: string;
  @ApiProperty({ type: Object }) payload: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: Number }) maxAttempts: number | null;
  @ApiProperty() priority: number;
}

export class ScheduleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The tenant its jobs belong to.' }) tenant: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '0 2 * * *' }) cron: string;
  @ApiProperty({ example: 'UTC' }) timezone: string;
  @ApiProperty({ type: ScheduleJobViewDto }) job: ScheduleJobViewDto;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: MISFIRE_POLICIES }) misfirePolicy: MisfirePolicy;
  @ApiProperty({ enum: OVERLAP_POLICIES }) overlapPolicy: OverlapPolicy;
  @ApiProperty({
    enum: ['active', 'paused', 'misfired'],
    description:
      'misfired: a fire was missed past the grace period and no on-time fire has followed yet.',
  })
  status: ScheduleStatus;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) nextFireTime:
    string | null;
  @ApiProperty({ type: [String], description: 'The next 5 fire times (empty while paused).' })
  nextFireTimes: string[];
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) lastFireTime:
    string | null;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The job of the last fire; see GET /jobs?scheduleId=',
  })
  lastJobId: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) lastMisfireAt:
    string | null;
  @ApiProperty() misfireCount: number;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Why the last fire failed, until one succeeds.',
  })
  lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ScheduleListDto {
  @ApiProperty({ type: [ScheduleDto] }) items: ScheduleDto[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page.',
  })
  nextCursor: string | null;
}
