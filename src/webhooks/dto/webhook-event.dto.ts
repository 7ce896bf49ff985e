import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '../../jobs/domain/job-status.js';
import { JOB_STATUS, JobErrorDto } from '../../jobs/dto/job-views.dto.js';
import { QUEUE_ALERT_EVENT_TYPE, TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../domain/webhook-events.js';

export const DELIVERED_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE, QUEUE_ALERT_EVENT_TYPE] as const;

export class QueueAlertDataDto {
  @ApiProperty({ example: 'report', description: 'The job type whose jobs died' }) jobType: string;
  @ApiProperty({ type: 'integer', description: 'Dead jobs of the type in the window when the alert was raised' }) deadCount: number;
  @ApiProperty({ type: 'integer', description: 'ALERT_DEAD_THRESHOLD' }) threshold: number;
  @ApiProperty({ type: 'integer', description: 'ALERT_DEAD_WINDOW_MINUTES' }) windowMinutes: number;
  @ApiProperty({ format: 'date-time', description: 'Start of the window (aligned on the database clock)' }) windowStart: string;
}

export class WebhookEventDataDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null for webhook.test' }) jobId: string | null;
  @ApiProperty({ ...JOB_STATUS, nullable: true, description: 'The state the job moved to; null for webhook.test' }) status: JobStatus | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://jobs.example.com/jobs/6f1c2a4e-0000-4000-8000-000000000000/result',
    description: 'job.complete: where to fetch the result (absolute when PUBLIC_BASE_URL is set)',
  })
  resultUrl: string | null;
  @ApiPropertyOptional({ type: JobErrorDto, description: 'job.failed, job.dead, job.cancelled, job.expired: the error' }) error?: JobErrorDto;
  @ApiPropertyOptional({ type: QueueAlertDataDto, description: 'queue.alert only (jobId, status and resultUrl are then null)' }) alert?: QueueAlertDataDto;
}

/** The JSON body of every webhook request (Standard Webhooks shape). */
export class WebhookEventDto {
  @ApiProperty({ example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', description: 'The webhook-id header: the same on every retry and redelivery (your idempotency key)' })
  id: string;
  @ApiProperty({ enum: DELIVERED_EVENT_TYPES, enumName: 'WebhookEventType' }) type: (typeof DELIVERED_EVENT_TYPES)[number];
  @ApiProperty({ format: 'date-time', description: 'When the event happened' }) createdAt: string;
  @ApiProperty({ type: WebhookEventDataDto }) data: WebhookEventDataDto;
}
