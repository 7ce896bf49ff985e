import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { MicroBatcher } from '../../common/async/micro-batcher.js';
import type { RetryLimits } from '../../common/retry/backoff.js';
import type { AttemptRun, DeliveryAttempts } from '../../notifications/delivery/delivery-queue.port.js';
import { maskAddress } from '../domain/mask-address.js';
import { decideSmtp } from '../domain/smtp-retry-decision.js';
import type { EmailToSend } from '../email.types.js';
import { EmailAttemptLogRepository, type EmailAttemptRecord } from './email-attempt-log.repository.js';
import { SmtpMailer } from './smtp-mailer.js';

/**
 * One attempt of one email, the same on both queue adapters: send over SMTP, apply the retry rules
 * (the webhook schedule), and write the outcome to the attempt log in group commits.
 */
@Injectable()
export class EmailAttempts implements DeliveryAttempts<EmailToSend> {
  private readonly logger = new Logger('EmailDelivery');
  private readonly limits: RetryLimits;
  private readonly log = new MicroBatcher<EmailAttemptRecord, boolean>(async (records) => {
    const written = new Set(await this.attempts.recordAttempts(records));
    return records.map((record) => written.has(record.deliveryId));
  });

  constructor(
    config: AppConfig,
    private readonly mailer: SmtpMailer,
    private readonly attempts: EmailAttemptLogRepository,
  ) {
    this.limits = { backoffMs: config.webhooks.backoffMs, jitter: config.webhooks.jitter, maxAttempts: config.webhooks.maxAttempts };
  }

  async attempt(delivery: EmailToSend): Promise<AttemptRun> {
    const startedAt = new Date();
    const started = performance.now();
    const result = await this.mailer.send({
      to: delivery.recipient,
      subject: delivery.subject,
      text: delivery.textBody,
      html: delivery.htmlBody,
      messageId: delivery.messageId,
    });
    const decision = decideSmtp(result, delivery.roundAttempts, this.limits);
    if (decision.outcome !== 'delivered') {
      const log = decision.outcome === 'failed' ? 'warn' : 'debug';
      this.logger[log]({
        msg: decision.outcome === 'failed' ? 'email delivery failed' : 'email delivery will be retried',
        deliveryId: delivery.id,
        to: maskAddress(delivery.recipient),
        event: delivery.eventType,
        attempt: delivery.roundAttempts,
        reason: decision.reason,
      });
    }
    const recorded = this.log.submit({
      deliveryId: delivery.id,
      round: delivery.round,
      roundAttempt: delivery.roundAttempts,
      outcome: decision.outcome,
      startedAt,
      latencyMs: Math.round(performance.now() - started),
      smtpCode: result.kind === 'rejected' ? result.code : null,
      error: decision.outcome === 'delivered' ? null : decision.reason,
      retryDelayMs: decision.outcome === 'retry' ? decision.delayMs : null,
    });
    return { verdict: decision, recorded };
  }
}
