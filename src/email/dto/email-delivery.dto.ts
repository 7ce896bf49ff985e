import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query.js';
import { Optional } from '../../common/validation/optional.js';

export const EMAIL_DELIVERY_STATUSES = ['pending', 'delivering', 'delivered', 'failed', 'cancelled'] as const;

/** ?jobId=&status=&tenant=&cursor=&limit= of the email delivery log. */
export class EmailDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the emails about this job' })
  @Optional()
  @IsUUID()
  jobId?: string;

  @ApiPropertyOptional({ enum: EMAIL_DELIVERY_STATUSES })
  @Optional()
  @IsIn(EMAIL_DELIVERY_STATUSES)
  status?: (typeof EMAIL_DELIVERY_STATUSES)[number];
}

export class EmailDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tenant: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) jobId: string | null;
  @ApiProperty({ example: 'job.dead' }) event: string;
  @ApiProperty({ example: 'o***@example.test', description: 'The recipient, masked (first character and domain)' }) recipient: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: EMAIL_DELIVERY_STATUSES }) status: string;
  @ApiProperty({ type: 'integer', description: 'SMTP attempts made' }) attempts: number;
  @ApiProperty({ nullable: true, type: String, description: 'The last SMTP failure' }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The next try while pending' }) nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: string | null;
}

export class EmailDeliveryListDto {
  @ApiProperty({ type: [EmailDeliveryDto] }) items: EmailDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
