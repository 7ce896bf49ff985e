import { isEmail } from 'class-validator';
import type { EnvReader } from './env-readers.js';

/** Email notifications (src/email). Retries follow the webhook schedule (WEBHOOK_BACKOFF_MS, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_JITTER). */
export interface EmailSettings {
  /** SMTP_URL: smtp://[user:pass@]host:port or smtps://…; unset = the email channel is off. A secret: never logged. */
  readonly smtpUrl: string | undefined;
  /** EMAIL_FROM: the From header, `address` or `Name <address>`. */
  readonly from: string;
  /** EMAIL_TIMEOUT_MS: connect, greeting and socket budget of one SMTP attempt. */
  readonly timeoutMs: number;
  /** EMAIL_CONCURRENCY: emails in flight per node. */
  readonly concurrency: number;
  /** EMAIL_DELIVERY_RETENTION_SECONDS: finished email deliveries and their attempt logs. */
  readonly deliveryRetentionSeconds: number;
}

export function readEmailSettings(read: EnvReader): EmailSettings {
  const from = read.string('EMAIL_FROM', 'longhaul <noreply@longhaul.invalid>');
  if (!isEmail(from, { allow_display_name: true, require_tld: false })) {
    read.problems.push('EMAIL_FROM must be an address or "Name <address>"');
  }
  return {
    smtpUrl: read.url('SMTP_URL', ['smtp:', 'smtps:']),
    from,
    timeoutMs: read.int('EMAIL_TIMEOUT_MS', 10_000, 100, 120_000),
    concurrency: read.int('EMAIL_CONCURRENCY', 4, 1, 100),
    deliveryRetentionSeconds: read.int('EMAIL_DELIVERY_RETENTION_SECONDS', 2_592_000, 60, 315_360_000),
  };
}
