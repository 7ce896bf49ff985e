import { ApiProperty } from '@nestjs/swagger';
import { JobStatus } from '../../jobs/domain/job-status.js';
import { JOB_STATUS, JobErrorDto } from '../../jobs/dto/job-views.dto.js';

export class LiveProgressDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 40 }) percent: number;
  @ApiProperty({ nullable: true, type: String, example: 'step 2/5' }) message:
    string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** `event: snapshot` — always the first event of a fresh stream. */
export class SnapshotEventData {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ example: 'sleep' }) type: string;
  @ApiProperty(JOB_STATUS) status: JobStatus;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: 'integer' }) maxAttempts: number;
  @ApiProperty({ type: LiveProgressDto }) progress: LiveProgressDto;
  @ApiProperty({ type: JobErrorDto, nullable: true }) error: JobErrorDto | null;
  @ApiProperty({ nullable: true, type: String, example: '/jobs/6f1c…/result' }) resultUrl:
    string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextAttemptAt:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt:
    string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt:
    string | null;
}

/** `event: progress` — the latest value; intermediate values may be skipped (coalesced), never reordered. */
export class ProgressEventData {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({
    type: 'integer',
    description: 'The attempt that reported it; a retry starts again from its own first report',
  })
  attempt: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 40 }) percent: number;
  @ApiProperty({ nullable: true, type: String, example: 'step 2/5' }) message:
    string | null;
  @ApiProperty({ format: 'date-time', description: 'When the handler reported it' })
  updatedAt: string;
}

/** `event: status` — one state change, from the job's history (GET /jobs/{id}/history). */
export class StatusEventData {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ example: '42', description: 'The transition id; the first part of the event id' })
  transitionId: string;
  @ApiProperty({ ...JOB_STATUS, nullable: true }) from: JobStatus | null;
  @ApiProperty(JOB_STATUS) to: JobStatus;
  @ApiProperty({ type: 'integer' }) attempt: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Error message for FAILED/DEAD, or why it moved',
  })
  reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: String, description: 'Set when `to` is COMPLETED' })
  resultUrl: string | null;
}
