import { BullModule } from '@nestjs/bull';
import type { DynamicModule, Provider } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { BullBoardMount } from './bull-board.js';
import { BullDeliveryQueue, WEBHOOK_BACKOFF, WEBHOOK_QUEUE, webhookBackoffStrategy } from './bull-delivery-queue.js';
import { WebhookDeliveryQueue } from './delivery-queue.port.js';
import { TableDeliveryQueue } from './table-delivery-queue.js';

export interface DeliveryQueueParts {
  imports: DynamicModule[];
  providers: Provider[];
}

/** The one place the delivery queue adapter is chosen: Bull when REDIS_URL is set, else the table. */
export function deliveryQueueParts(config: AppConfig): DeliveryQueueParts {
  if (!config.redisUrl) {
    return { imports: [], providers: [{ provide: WebhookDeliveryQueue, useClass: TableDeliveryQueue }] };
  }
  const queue = BullModule.registerQueue({
    name: WEBHOOK_QUEUE,
    url: config.redisUrl,
    prefix: config.webhooks.queuePrefix,
    settings: { backoffStrategies: { [WEBHOOK_BACKOFF]: webhookBackoffStrategy(config.webhooks) } },
  });
  return {
    imports: [queue],
    providers: [{ provide: WebhookDeliveryQueue, useClass: BullDeliveryQueue }, BullBoardMount],
  };
}
