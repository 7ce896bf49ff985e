import { BullModule, getQueueToken } from '@nestjs/bull';
import type { DynamicModule, Provider } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../config/app-config.js';
import { PgNotifications } from '../../database/pg-notifications.js';
import { BullDeliveryQueue, DELIVERY_BACKOFF, deliveryBackoffStrategy, type DeliveryJobData } from '../../notifications/delivery/bull-delivery-queue.js';
import type { DeliveryQueueSettings } from '../../notifications/delivery/delivery-queue.port.js';
import { TableDeliveryQueue } from '../../notifications/delivery/table-delivery-queue.js';
import { BullBoardMount } from './bull-board.js';
import { DeliveryAttemptRunner } from './delivery-attempt.js';
import { WEBHOOK_QUEUE, WebhookDeliveryQueue } from './webhook-delivery-queue.js';
import { WEBHOOK_DELIVERIES_CHANNEL, WebhookDeliveryQueueRepository } from './webhook-delivery-queue.repository.js';

const LEGACY_WEBHOOK_BACKOFF = 'webhook';

export interface DeliveryQueueParts {
  imports: DynamicModule[];
  providers: Provider[];
}

function settings(config: AppConfig): DeliveryQueueSettings {
  return {
    channel: 'webhook',
    notifyChannel: WEBHOOK_DELIVERIES_CHANNEL,
    attemptTimeoutMs: config.webhooks.timeoutMs,
    maxAttempts: config.webhooks.maxAttempts,
    reconcileIntervalMs: config.webhooks.reconcileIntervalMs,
  };
}

/** The one place the webhook delivery queue adapter is chosen: Bull when REDIS_URL is set, else the table. */
export function deliveryQueueParts(config: AppConfig): DeliveryQueueParts {
  if (!config.redisUrl) {
    const table: Provider = {
      provide: WebhookDeliveryQueue,
      inject: [AppConfig, WebhookDeliveryQueueRepository, PgNotifications, DeliveryAttemptRunner],
      useFactory: (app: AppConfig, rows: WebhookDeliveryQueueRepository, notifications: PgNotifications, runner: DeliveryAttemptRunner) =>
        new TableDeliveryQueue(settings(app), rows, notifications, runner),
    };
    return { imports: [], providers: [table] };
  }
  const queue = BullModule.registerQueue({
    name: WEBHOOK_QUEUE,
    url: config.redisUrl,
    prefix: config.webhooks.queuePrefix,
    // Jobs added before the strategy was shared with the email queue name it `webhook`: both names stay.
    settings: { backoffStrategies: { [DELIVERY_BACKOFF]: deliveryBackoffStrategy(config.webhooks), [LEGACY_WEBHOOK_BACKOFF]: deliveryBackoffStrategy(config.webhooks) } },
  });
  const bull: Provider = {
    provide: WebhookDeliveryQueue,
    inject: [AppConfig, getQueueToken(WEBHOOK_QUEUE), WebhookDeliveryQueueRepository, DeliveryAttemptRunner],
    useFactory: (app: AppConfig, bullQueue: Queue<DeliveryJobData>, rows: WebhookDeliveryQueueRepository, runner: DeliveryAttemptRunner) =>
      new BullDeliveryQueue(settings(app), bullQueue, rows, runner),
  };
  return { imports: [queue], providers: [bull, BullBoardMount] };
}
