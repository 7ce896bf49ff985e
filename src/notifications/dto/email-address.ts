import { applyDecorators } from '@nestjs/common';
import { IsEmail, IsString, MaxLength } from 'class-validator';

/** RFC 5321's limit on a forward path. */
export const MAX_EMAIL_LENGTH = 254;

/** One email address: a plain `local@domain` (no display name, no IP literal), at most 254 characters. */
export function EmailAddress(each = false): PropertyDecorator {
  return applyDecorators(
    IsString({ each }),
    MaxLength(MAX_EMAIL_LENGTH, { each }),
    IsEmail({ require_tld: true, allow_display_name: false, allow_ip_domain: false }, { each, message: `${each ? 'each address' : 'address'} must be an email address` }),
  );
}
