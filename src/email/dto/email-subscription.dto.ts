import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { EmailAddress, MAX_EMAIL_LENGTH } from '../../notifications/dto/email-address.js';
import { NOTIFIED_EVENTS, type NotifiedEvent } from '../../notifications/job-notice.js';

export class CreateEmailSubscriptionDto {
  @ApiProperty({ format: 'email', maxLength: MAX_EMAIL_LENGTH, example: 'ops@example.test' })
  @EmailAddress()
  address: string;

  @ApiProperty({ enum: NOTIFIED_EVENTS, enumName: 'NotifiedEvent', isArray: true, minItems: 1, uniqueItems: true, example: ['job.complete', 'job.dead'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(NOTIFIED_EVENTS.length)
  @IsIn(NOTIFIED_EVENTS, { each: true, message: `each event must be one of ${NOTIFIED_EVENTS.join(', ')}` })
  events: NotifiedEvent[];
}

export class EmailSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The tenant whose job events it receives' }) tenant: string;
  @ApiProperty({ format: 'email' }) address: string;
  @ApiProperty({ enum: NOTIFIED_EVENTS, enumName: 'NotifiedEvent', isArray: true }) events: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class EmailSubscriptionListDto {
  @ApiProperty({ type: [EmailSubscriptionDto] }) items: EmailSubscriptionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
