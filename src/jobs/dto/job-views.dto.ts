import { JobNotifyDto } from '../../notifications/dto/job-notify.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '../domain/job-status.js';

/** The job status enum, one named schema for every view. */
export const JOB_STATUS = { enum: JobStatus, enumName: 'JobStatus' } as const;

export class JobAcceptedDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ ...JOB_STATUS, example: JobStatus.QUEUED }) status: JobStatus;
  @ApiProperty({ example: '/jobs/6f1c2a4e-0000-4000-8000-000000000000', description: 'Poll it (GET); 303 to the result once COMPLETED' })
  statusUrl: string;
  @ApiProperty({ example: '/jobs/6f1c2a4e-0000-4000-8000-000000000000/progress', description: 'Server-Sent Events of progress and status' })
  progressUrl: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '/jobs/6f1c2a4e-0000-4000-8000-000000000000/result',
    description: 'Set when the job is already COMPLETED (a repeated idempotent submission, or Prefer: wait)',
  })
  resultUrl: string | null;
}

export class ProgressDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 }) percent: number;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
}

export class JobErrorDto {
  @ApiProperty() message: string;
  @ApiPropertyOptional({ example: 'PlannedFailure', description: 'PERMANENT, NO_HANDLER, INTERRUPTED_TOO_OFTEN, TIMEOUT, CANCELLED, EXPIRED or the error class name' })
  code?: string;
  @ApiProperty({ type: 'integer', description: 'The attempt that failed (0: before any attempt)' }) attempt: number;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class JobStatusDto {
  @ApiProperty(JOB_STATUS) status: JobStatus;
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiProperty({ nullable: true, type: String, example: '/jobs/6f1c2a4e-0000-4000-8000-000000000000/result', description: 'Set once COMPLETED' })
  resultUrl: string | null;
  @ApiProperty({ type: JobErrorDto, nullable: true, description: 'The last error (a FAILED attempt, DEAD, CANCELLED, EXPIRED)' }) error: JobErrorDto | null;
}

export class JobDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ description: 'The tenant the job belongs to (`*`: a report over every tenant)' }) tenant: string;
  @ApiProperty({ example: 'sleep' }) type: string;
  @ApiProperty(JOB_STATUS) status: JobStatus;
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiProperty({ type: 'integer', description: 'Attempts started so far' }) attempts: number;
  @ApiProperty({ type: 'integer', description: 'Failed attempts allowed before DEAD (interruptions do not count)' }) maxAttempts: number;
  @ApiProperty({ type: 'integer', description: 'Attempts cut off without an outcome (worker crash, lost lease, shutdown); capped by the server' })
  interruptions: number;
  @ApiProperty({ type: 'integer' }) priority: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The payload as submitted (its schema depends on `type`)' })
  payload: unknown;
  @ApiProperty({ format: 'date-time' }) runAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When a FAILED job is retried' }) nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ type: JobErrorDto, nullable: true, description: 'The last error (a FAILED attempt, DEAD, CANCELLED, EXPIRED)' }) error: JobErrorDto | null;
  @ApiProperty({ nullable: true, type: String, description: 'Set once COMPLETED' }) resultUrl: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the result expires (then /result answers 410)' })
  resultExpiresAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uri' }) callbackUrl: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The persistent schedule that created this job' })
  scheduleId: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The schedule fire time this job is for' })
  scheduleFireTime: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Run timeout of each attempt in seconds (asked for, or the job type’s); null: none, or the type’s applies where it runs' })
  timeoutSeconds: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Not started by then: EXPIRED (from queueTtlSeconds or the job type’s TTL)' })
  startDeadline: string | null;
  @ApiProperty({ type: JobNotifyDto, nullable: true, description: 'The email notifications the job asked for' })
  notify: JobNotifyDto | null;
}

export class JobListDto {
  @ApiProperty({ type: [JobDto] }) items: JobDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last page' })
  nextCursor: string | null;
}

export class JobTransitionDto {
  @ApiProperty({ ...JOB_STATUS, nullable: true, description: 'null for the first state' }) from: JobStatus | null;
  @ApiProperty(JOB_STATUS) to: JobStatus;
  @ApiProperty({ type: 'integer' }) attempt: number;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}
