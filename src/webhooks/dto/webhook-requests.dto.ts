import { PageQuery } from '../../common/pagination/page.query.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_URL_LENGTH } from '../../common/outbound-url/url-policy.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../domain/webhook-events.js';
import type { DeliveryStatus } from '../webhook.types.js';
import { Optional } from '../../common/validation/optional.js';

const URL_OPTIONS = { protocols: ['http', 'https'], require_tld: false, require_protocol: true, allow_underscores: true };
const EVENTS_DESCRIPTION = 'Events to receive. `job.complete` is the seed’s name for a job that COMPLETED.';

export class CreateWebhookDto {
  @ApiProperty({ format: 'uri', example: 'https://example.com/hooks/longhaul', maxLength: MAX_URL_LENGTH })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsUrl(URL_OPTIONS, { message: 'url must be an absolute http or https URL' })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'SubscribableEvent', isArray: true, minItems: 1, uniqueItems: true, example: ['job.complete'], description: EVENTS_DESCRIPTION })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each event must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    pattern: '^whsec_[A-Za-z0-9+/]+={0,2}$',
    description: 'Bring your own signing secret (whsec_ + base64 of 24-64 bytes); generated when omitted.',
  })
  @Optional()
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { message: 'secret must be whsec_ followed by base64' })
  secret?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ format: 'uri', maxLength: MAX_URL_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsUrl(URL_OPTIONS, { message: 'url must be an absolute http or https URL' })
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, enumName: 'SubscribableEvent', isArray: true, minItems: 1, uniqueItems: true, description: EVENTS_DESCRIPTION })
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each event must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'true re-enables a disabled webhook (and clears its failure streak); false pauses it.' })
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 2_592_000,
    description: 'How long the old secret keeps signing beside the new one (default WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS). 0 drops it at once.',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  overlapSeconds?: number;
}

export { PageQuery };

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivering', 'delivered', 'failed', 'cancelled'];

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, enumName: 'DeliveryStatus' })
  @Optional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class JobDeliveriesQuery extends DeliveriesQuery {
  @ApiProperty({ format: 'uuid', description: 'Deliveries of this job’s events (its callbackUrl and every subscription).' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'jobId must be a UUID' })
  jobId: string;
}
