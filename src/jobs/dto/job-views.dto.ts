import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '../domain/job-status.js';

export class JobAcceptedDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ enum: JobStatus, example: JobStatus.QUEUED }) status: JobStatus;
  @ApiProperty({ example: '/jobs/6f1c…' }) statusUrl: string;
  @ApiProperty({ example: '/jobs/6f1c…/progress' }) progressUrl: string;
}

export class ProgressDto {
  @ApiProperty({ minimum: 0, maximum: 100 }) percent: number;
  @ApiPropertyOptional({ nullable: true, type: String }) message: string | null;
}

export class JobErrorDto {
  @ApiProperty() message: string;
  @ApiPropertyOptional() code?: string;
  @ApiProperty() attempt: number;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class JobStatusDto {
  @ApiProperty({ enum: JobStatus }) status: JobStatus;
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiPropertyOptional({ nullable: true, type: String, example: '/jobs/6f1c…/result' }) resultUrl: string | null;
}

export class JobDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ description: 'The tenant the job belongs to (`*`: a report over every tenant).' }) tenant: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: JobStatus }) status: JobStatus;
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiProperty({ description: 'Attempts started so far' }) attempts: number;
  @ApiProperty({ description: 'Failed attempts allowed before DEAD (interruptions do not count)' }) maxAttempts: number;
  @ApiProperty({ description: 'Attempts cut off without an outcome (worker crash, lost lease, shutdown); capped by the server' })
  interruptions: number;
  @ApiProperty() priority: number;
  @ApiProperty({ type: Object }) payload: unknown;
  @ApiProperty({ format: 'date-time' }) runAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) startedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiPropertyOptional({ type: JobErrorDto, nullable: true }) error: JobErrorDto | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resultUrl: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'When the result expires (then /result answers 410)' })
  resultExpiresAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) callbackUrl: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The persistent schedule that created this job.' })
  scheduleId: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'The schedule fire time this job is for.' })
  scheduleFireTime: string | null;
}

export class JobListDto {
  @ApiProperty({ type: [JobDto] }) items: JobDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page.' })
  nextCursor: string | null;
}

export class JobTransitionDto {
  @ApiPropertyOptional({ enum: JobStatus, nullable: true }) from: JobStatus | null;
  @ApiProperty({ enum: JobStatus }) to: JobStatus;
  @ApiProperty() attempt: number;
  @ApiPropertyOptional({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}
