import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { Optional } from '../../common/validation/optional.js';
import { DEFAULT_NOTIFY_EVENTS, NOTIFIED_EVENTS, type NotifiedEvent } from '../job-notify.js';
import { EmailAddress, MAX_EMAIL_LENGTH } from './email-address.js';

/** Most addresses one job may name. */
export const MAX_JOB_EMAILS = 10;

/** A job's own notification targets, given at submission. */
export class JobNotifyDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'email', maxLength: MAX_EMAIL_LENGTH },
    maxItems: MAX_JOB_EMAILS,
    minItems: 1,
    uniqueItems: true,
    example: ['ops@example.test'],
    description: 'Addresses emailed on the events below (SMTP_URL must be set on the server).',
  })
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(MAX_JOB_EMAILS)
  @EmailAddress(true)
  email?: string[];

  @ApiPropertyOptional({
    enum: NOTIFIED_EVENTS,
    enumName: 'NotifiedEvent',
    isArray: true,
    minItems: 1,
    uniqueItems: true,
    example: ['job.complete', 'job.dead'],
    description: `Events that notify the addresses; default ${DEFAULT_NOTIFY_EVENTS.join(' and ')}.`,
  })
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(NOTIFIED_EVENTS.length)
  @IsIn(NOTIFIED_EVENTS, { each: true, message: `each event must be one of ${NOTIFIED_EVENTS.join(', ')}` })
  events?: NotifiedEvent[];
}
