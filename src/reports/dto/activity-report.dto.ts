import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { REPORT_GROUP_BYS, type ReportGroupBy } from '../domain/activity-report.js';

export class DurationSummaryDto {
  @ApiProperty({ type: 'integer' }) p50: number;
  @ApiProperty({ type: 'integer' }) p90: number;
  @ApiProperty({ type: 'integer' }) p99: number;
  @ApiProperty({ type: 'integer' }) max: number;
  @ApiProperty({ type: 'integer', description: 'Rounded to whole milliseconds' }) mean: number;
}

export class AttemptCountsDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer', description: 'Jobs that needed more than one attempt' }) retried: number;
}

export class ActivityTotalsDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) completed: number;
  @ApiProperty({ type: 'integer' }) dead: number;
  @ApiProperty({ type: 'integer' }) cancelled: number;
  @ApiProperty({ type: 'integer', description: 'PENDING, QUEUED, RUNNING or FAILED (to be retried)' }) inFlight: number;
  @ApiProperty({ type: 'number', nullable: true, minimum: 0, maximum: 1, description: 'completed / (completed + dead), 4 decimals; null when neither happened' })
  successRate: number | null;
  @ApiProperty({ type: DurationSummaryDto, nullable: true, description: 'Run times of COMPLETED jobs in ms; null when there is none' })
  durationMs: DurationSummaryDto | null;
  @ApiProperty({ type: AttemptCountsDto }) attempts: AttemptCountsDto;
}

export class ActivityGroupDto extends ActivityTotalsDto {
  @ApiProperty({ example: 'sleep', description: 'The job type, status or day (YYYY-MM-DD) of the group' }) key: string;
}

/** The JSON result of a `report` job (format=json). */
@ApiSchema({ description: 'The result of a `report` job requested as JSON' })
export class ActivityReportDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: REPORT_GROUP_BYS, enumName: 'ReportGroupBy' }) groupBy: ReportGroupBy;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: ActivityTotalsDto }) totals: ActivityTotalsDto;
  @ApiProperty({ type: [ActivityGroupDto] }) groups: ActivityGroupDto[];
}
