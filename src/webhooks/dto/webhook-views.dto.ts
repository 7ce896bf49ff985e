import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-events.js';
import { DELIVERY_STATUSES } from './webhook-requests.dto.js';
import { DELIVERED_EVENT_TYPES, WebhookEventDto } from './webhook-event.dto.js';

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The tenant whose job events it receives' }) tenant: string;
  @ApiProperty({ format: 'uri', example: 'https://example.com/hooks/longhaul' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'SubscribableEvent', isArray: true }) events: string[];
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String, example: '20 consecutive messages failed' }) disabledReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disabledAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Failed messages in a row (reset by a delivered one).' }) consecutiveFailures: number;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'While set and in the future, the previous secret still signs beside the current one.',
  })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class WebhookCreatedDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', description: 'The signing secret. Shown only here; store it now.' })
  secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items: WebhookDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class RotatedSecretDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The new signing secret. Shown only here.' }) secret: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Until then the old secret signs too.' })
  previousSecretExpiresAt: string | null;
}

export class DeliveryAttemptDto {
  @ApiProperty({ type: 'integer', description: 'Counts every attempt of the delivery, across redeliveries.' }) attempt: number;
  @ApiProperty({ type: 'integer', description: '1 for the first delivery, +1 per redelivery.' }) round: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: 'integer', example: 200 }) statusCode: number | null;
  @ApiProperty({ type: 'integer', example: 42 }) latencyMs: number;
  @ApiProperty({ enum: ['delivered', 'retry', 'failed'], enumName: 'DeliveryOutcome' }) outcome: string;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) retryAt: string | null;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The deliveryId to redeliver.' }) id: string;
  @ApiProperty({ example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', description: 'The webhook-id header: the same on every attempt and redelivery.' })
  messageId: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Null for a job’s own callbackUrl.' })
  webhookId: string | null;
  @ApiProperty({ enum: DELIVERED_EVENT_TYPES, enumName: 'WebhookEventType' }) event: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) jobId: string | null;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'DeliveryStatus' }) status: string;
  @ApiProperty({ type: 'integer' }) attemptCount: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt: string | null;
  @ApiProperty({ type: WebhookEventDto, description: 'The JSON body sent' })
  payload: WebhookEventDto;
  @ApiProperty({ type: [DeliveryAttemptDto], description: 'The attempt log, oldest first.' }) attempts: DeliveryAttemptDto[];
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
