import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { EmailAttemptLogRepository } from './delivery/email-attempt-log.repository.js';
import { EmailAttempts } from './delivery/email-attempts.js';
import { emailDeliveryQueueParts } from './delivery/email-delivery-queue.js';
import { EmailDeliveryQueueRepository } from './delivery/email-delivery-queue.repository.js';
import { EmailDeliveryWorker } from './delivery/email-delivery-worker.js';
import { SmtpMailer } from './delivery/smtp-mailer.js';
import { EmailDeliveryRetention } from './email-delivery-retention.js';
import { EmailNotificationsController } from './email-notifications.controller.js';
import { EmailSubscriptionsRepository } from './email-subscriptions.repository.js';
import { EmailDeliveryLogRepository } from './email-delivery-log.repository.js';
import { JobNoticeEmails } from './job-notice-emails.js';

/**
 * Email notifications: the /notifications/email API, the notification channel that turns job notices
 * into durable email rows, and the delivery worker on the profile's queue (the webhook machinery).
 */
@Module({})
export class EmailModule {
  static forRoot(config: AppConfig): DynamicModule {
    const queue = emailDeliveryQueueParts(config);
    return {
      module: EmailModule,
      imports: [NotificationsModule, ...queue.imports],
      controllers: [EmailNotificationsController],
      providers: [
        ...queue.providers,
        EmailSubscriptionsRepository,
        EmailDeliveryLogRepository,
        EmailDeliveryQueueRepository,
        EmailAttemptLogRepository,
        SmtpMailer,
        EmailAttempts,
        EmailDeliveryWorker,
        JobNoticeEmails,
        EmailDeliveryRetention,
      ],
    };
  }
}
