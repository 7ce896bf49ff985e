import { BullModule, getQueueToken } from '@nestjs/bull';
import type { DynamicModule, Provider } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../config/app-config.js';
import { PgNotifications } from '../../database/pg-notifications.js';
import { BullDeliveryQueue, DELIVERY_BACKOFF, deliveryBackoffStrategy, type DeliveryJobData } from '../../notifications/delivery/bull-delivery-queue.js';
import { DeliveryQueue, type DeliveryQueueSettings } from '../../notifications/delivery/delivery-queue.port.js';
import { TableDeliveryQueue } from '../../notifications/delivery/table-delivery-queue.js';
import { EmailAttempts } from './email-attempts.js';
import { EMAIL_DELIVERIES_CHANNEL, EmailDeliveryQueueRepository } from './email-delivery-queue.repository.js';

/** The Bull queue of email deliveries (REDIS_URL set). */
export const EMAIL_QUEUE = 'email-deliveries';

/** The email channel's delivery queue (the injection token): the same adapters as the webhook channel's. */
export abstract class EmailDeliveryQueue extends DeliveryQueue {}

function settings(config: AppConfig): DeliveryQueueSettings {
  return {
    channel: 'email',
    notifyChannel: EMAIL_DELIVERIES_CHANNEL,
    attemptTimeoutMs: 3 * config.email.timeoutMs,
    maxAttempts: config.webhooks.maxAttempts,
    reconcileIntervalMs: config.webhooks.reconcileIntervalMs,
  };
}

/** Chosen like the webhook queue: Bull when REDIS_URL is set, else the table. */
export function emailDeliveryQueueParts(config: AppConfig): { imports: DynamicModule[]; providers: Provider[] } {
  if (!config.redisUrl) {
    const table: Provider = {
      provide: EmailDeliveryQueue,
      inject: [AppConfig, EmailDeliveryQueueRepository, PgNotifications, EmailAttempts],
      useFactory: (app: AppConfig, rows: EmailDeliveryQueueRepository, notifications: PgNotifications, attempts: EmailAttempts) =>
        new TableDeliveryQueue(settings(app), rows, notifications, attempts),
    };
    return { imports: [], providers: [table] };
  }
  const queue = BullModule.registerQueue({
    name: EMAIL_QUEUE,
    url: config.redisUrl,
    prefix: config.webhooks.queuePrefix,
    settings: { backoffStrategies: { [DELIVERY_BACKOFF]: deliveryBackoffStrategy(config.webhooks) } },
  });
  const bull: Provider = {
    provide: EmailDeliveryQueue,
    inject: [AppConfig, getQueueToken(EMAIL_QUEUE), EmailDeliveryQueueRepository, EmailAttempts],
    useFactory: (app: AppConfig, bullQueue: Queue<DeliveryJobData>, rows: EmailDeliveryQueueRepository, attempts: EmailAttempts) =>
      new BullDeliveryQueue(settings(app), bullQueue, rows, attempts),
  };
  return { imports: [queue], providers: [bull] };
}
