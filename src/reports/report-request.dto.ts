import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Matches } from 'class-validator';
import { TENANT_PATTERN } from '../common/tenant.js';
import { REPORT_GROUP_BYS, type ReportFormat, type ReportGroupBy } from './domain/activity-report.js';
import { Optional } from '../common/validation/optional.js';

/** The `report` job's payload (POST /reports adds the tenant for admins). */
export class ReportParametersDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-28T00:00:00Z', description: 'Jobs created at or after this instant' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T00:00:00Z', description: 'Jobs created before this instant' })
  @IsISO8601({ strict: true })
  to: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], enumName: 'ReportFormat', default: 'json' })
  @Optional()
  @IsIn(['json', 'csv'])
  format?: ReportFormat;

  @ApiPropertyOptional({ enum: REPORT_GROUP_BYS, enumName: 'ReportGroupBy', default: 'type' })
  @Optional()
  @IsIn(REPORT_GROUP_BYS)
  groupBy?: ReportGroupBy;
}

/** POST /reports: the report's parameters, and for admins the tenant it covers. */
export class ReportRequestDto extends ReportParametersDto {
  @ApiPropertyOptional({
    description: 'Admin keys only: report on this tenant (default: every tenant). Other keys always get their own tenant’s report.',
  })
  @Optional()
  @IsString()
  @Matches(TENANT_PATTERN, { message: 'tenant must be a tenant name' })
  tenant?: string;
}
