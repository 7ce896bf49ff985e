import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query.js';
import { JobStatus } from '../domain/job-status.js';
import { JOB_TYPE_PATTERN } from './submit-job.dto.js';

export class ListJobsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: JobStatus, enumName: 'JobStatus' })
  @IsOptional()
  @IsEnum(JobStatus)
  status?: JobStatus;

  @ApiPropertyOptional({ pattern: JOB_TYPE_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(JOB_TYPE_PATTERN)
  type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only jobs created by this persistent schedule.' })
  @IsOptional()
  @IsUUID()
  scheduleId?: string;
}
