import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { REPORT_GROUP_BYS, type ReportFormat, type ReportGroupBy } from './domain/activity-report.js';

/** The `report` job's payload, and the body of POST /reports. */
export class ReportRequestDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-28T00:00:00Z', description: 'Jobs created at or after this instant' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T00:00:00Z', description: 'Jobs created before this instant' })
  @IsISO8601({ strict: true })
  to: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], enumName: 'ReportFormat', default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: ReportFormat;

  @ApiPropertyOptional({ enum: REPORT_GROUP_BYS, enumName: 'ReportGroupBy', default: 'type' })
  @IsOptional()
  @IsIn(REPORT_GROUP_BYS)
  groupBy?: ReportGroupBy;
}
