import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '../../jobs/domain/job-status.js';
import { JobErrorDto } from '../../jobs/dto/job-views.dto.js';

export class LiveProgressDto {
  @ApiProperty({ minimum: 0, maximum: 100, example: 40 }) percent: number;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'step 2/5' }) message:
    string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** `event: snapshot` — always the first event of a fresh stream. */
export class SnapshotEventData {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ example: 'sleep' }) type: string;
  @ApiProperty({ enum: JobStatus }) status: JobStatus;
  @ApiProperty() attempts: number;
  @ApiProperty() maxAttempts: number;
  @ApiProperty({ type: LiveProgressDto }) progress: LiveProgressDto;
  @ApiPropertyOptional({ type: JobErrorDto, nullable: true }) error: JobErrorDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '/jobs/6f1c…/result' }) resultUrl:
    string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) nextAttemptAt:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) startedAt:
    string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt:
    string | null;
}

/** `event: progress` — the latest value; intermediate values may be skipped (coalesced), never reordered. */
export class ProgressEventData {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({
    description: 'The attempt that reported it; a retry starts again from its own first report',
  })
  attempt: number;
  @ApiProperty({ minimum: 0, maximum: 100, example: 40 }) percent: number;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'step 2/5' }) message:
    string | null;
  @ApiProperty({ format: 'date-time', description: 'When the handler reported it' })
  updatedAt: string;
}

/** `event: status` — one state change, from the job's history (GET /jobs/{id}/history). */
export class StatusEventData {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ example: '42', description: 'The transition id; the first part of the event id' })
  transitionId: string;
  @ApiPropertyOptional({ enum: JobStatus, nullable: true }) from: JobStatus | null;
  @ApiProperty({ enum: JobStatus }) to: JobStatus;
  @ApiProperty() attempt: number;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Error message for FAILED/DEAD, or why it moved',
  })
  reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Set when `to` is COMPLETED' })
  resultUrl: string | null;
}

class SseEventBase {
  @ApiPropertyOptional({
    example: '42-1764400000123',
    description:
      '`<transitionId>-<progressVersion>`; send it back as Last-Event-ID to resume. Absent on multi-job streams.',
  })
  id?: string;
}

export class SnapshotSseEvent extends SseEventBase {
  @ApiProperty({ enum: ['snapshot'] }) event: 'snapshot';
  @ApiProperty({ type: SnapshotEventData, description: 'JSON in the `data:` line' })
  data: SnapshotEventData;
}

export class ProgressSseEvent extends SseEventBase {
  @ApiProperty({ enum: ['progress'] }) event: 'progress';
  @ApiProperty({ type: ProgressEventData, description: 'JSON in the `data:` line' })
  data: ProgressEventData;
}

export class StatusSseEvent extends SseEventBase {
  @ApiProperty({ enum: ['status'] }) event: 'status';
  @ApiProperty({ type: StatusEventData, description: 'JSON in the `data:` line' })
  data: StatusEventData;
}
