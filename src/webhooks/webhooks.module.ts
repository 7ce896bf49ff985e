import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { AttemptRecorder } from './delivery/attempt-recorder.js';
import { DeliveryAttemptRunner } from './delivery/delivery-attempt.js';
import { deliveryQueueParts } from './delivery/delivery-queue.providers.js';
import { WebhookDeliveryWorker } from './delivery/delivery-worker.js';
import { SigningSecrets } from './delivery/signing-secrets.js';
import { WebhookHttpClient } from './delivery/webhook-http-client.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { JobEventDeliveriesRepository } from './job-event-deliveries.repository.js';
import { JobEventWebhooks } from './job-event-webhooks.js';
import { QueueAlertWebhooks } from './queue-alert-webhooks.js';
import { AlertsModule } from '../alerts/alerts.module.js';
import { DeliveryRetention } from './delivery-retention.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhookAttemptLogRepository } from './webhook-attempt-log.repository.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';
import { WebhookDeliveryQueueRepository } from './delivery/webhook-delivery-queue.repository.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookSecretsReseal } from './webhook-secrets-reseal.js';

/**
 * Signed, retried push callbacks for job events: the /webhooks API, the listener that turns
 * job transitions into deliveries, and the delivery worker on the profile's queue.
 */
@Module({})
export class WebhooksModule {
  static forRoot(config: AppConfig): DynamicModule {
    const queue = deliveryQueueParts(config);
    return {
      module: WebhooksModule,
      imports: [NotificationsModule, AlertsModule, ...queue.imports],
      controllers: [WebhooksController],
      providers: [
        ...queue.providers,
        WebhookSubscriptionsRepository,
        WebhookDeliveryQueueRepository,
        WebhookAttemptLogRepository,
        WebhookSecrets,
        WebhookSecretsReseal,
        WebhookMetrics,
        WebhookHttpClient,
        SigningSecrets,
        AttemptRecorder,
        DeliveryAttemptRunner,
        WebhookDeliveryWorker,
        JobEventDeliveriesRepository,
        JobEventWebhooks,
        QueueAlertWebhooks,
        DeliveryRetention,
        WebhookSubscriptionsService,
        WebhookDeliveriesService,
      ],
      exports: [WebhookMetrics],
    };
  }
}
