import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '../../jobs/domain/job-status.js';
import { JOB_STATUS, JobErrorDto } from '../../jobs/dto/job-views.dto.js';
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../domain/webhook-events.js';

export const DELIVERED_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE] as const;

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
  @ApiPropertyOptional({ type: JobErrorDto, description: 'job.failed, job.dead, job.cancelled: the error' }) error?: JobErrorDto;
}

/** The JSON body of every webhook request (Standard Webhooks shape). */
export class WebhookEventDto {
  @ApiProperty({ example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', description: 'The webhook-id header: the same on every retry and redelivery (your idempotency key)' })
  id: string;
  @ApiProperty({ enum: DELIVERED_EVENT_TYPES, enumName: 'WebhookEventType' }) type: (typeof DELIVERED_EVENT_TYPES)[number];
  @ApiProperty({ format: 'date-time', description: 'When the event happened' }) createdAt: string;
  @ApiProperty({ type: WebhookEventDataDto }) data: WebhookEventDataDto;
}
