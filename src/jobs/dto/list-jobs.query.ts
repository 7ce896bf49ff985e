import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query.js';
import { JobStatus } from '../domain/job-status.js';
import { JOB_TYPE_PATTERN } from './submit-job.dto.js';
import { Optional } from '../../common/validation/optional.js';

export class ListJobsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: JobStatus, enumName: 'JobStatus' })
  @Optional()
  @IsEnum(JobStatus)
  status?: JobStatus;

  @ApiPropertyOptional({ pattern: JOB_TYPE_PATTERN.source })
  @Optional()
  @IsString()
  @Matches(JOB_TYPE_PATTERN)
  type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only jobs created by this persistent schedule.' })
  @Optional()
  @IsUUID()
  scheduleId?: string;
}
