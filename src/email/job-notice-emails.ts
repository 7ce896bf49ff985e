import { Injectable, Logger } from '@nestjs/common';
import type { JobEventTransaction } from '../jobs/job-event.js';
import type { QueuedDelivery } from '../notifications/delivery/delivery-queue.port.js';
import { jobAddressesFor, type JobNotice } from '../notifications/job-notice.js';
import type { NotificationChannel } from '../notifications/notification-channel.port.js';
import { NotificationHub } from '../notifications/notification-hub.js';
import { renderJobEmail } from './domain/email-template.js';
import { EmailDeliveryQueue } from './delivery/email-delivery-queue.js';
import { EmailDeliveryQueueRepository, type EmailToEnqueue } from './delivery/email-delivery-queue.repository.js';
import { SmtpMailer } from './delivery/smtp-mailer.js';

/**
 * The email channel of the notification port: each notice is rendered once (text and HTML) and
 * written as one row per recipient — the job's own `notify` addresses and the tenant's subscribers —
 * in the event relay's transaction, then handed to the email delivery queue once committed.
 */
@Injectable()
export class JobNoticeEmails implements NotificationChannel {
  readonly name = 'email';
  private readonly logger = new Logger(JobNoticeEmails.name);
  private readonly written = new WeakMap<readonly JobNotice[], QueuedDelivery[]>();

  constructor(
    private readonly rows: EmailDeliveryQueueRepository,
    private readonly queue: EmailDeliveryQueue,
    mailer: SmtpMailer,
    hub: NotificationHub,
  ) {
    // Without SMTP_URL nothing could send the rows: the channel stays off.
    if (mailer.enabled) hub.register(this);
  }

  async record(notices: readonly JobNotice[], tx: JobEventTransaction): Promise<void> {
    this.written.set(notices, await this.rows.enqueue(notices.map(toEmail), tx));
  }

  afterCommit(notices: readonly JobNotice[]): void {
    const enqueued = this.written.get(notices) ?? [];
    this.written.delete(notices);
    if (enqueued.length === 0) return;
    this.queue.enqueued(enqueued).catch((error: unknown) => {
      this.logger.warn({ msg: 'handing emails to the queue failed; they are retried from the table', count: enqueued.length, error: String(error) });
    });
  }
}

function toEmail(notice: JobNotice): EmailToEnqueue {
  const rendered = renderJobEmail(notice);
  return {
    messageId: notice.messageId,
    eventType: notice.event,
    jobId: notice.jobId,
    tenant: notice.tenant,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    jobAddresses: jobAddressesFor(notice),
  };
}
