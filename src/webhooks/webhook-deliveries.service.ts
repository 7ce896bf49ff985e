import { Injectable } from '@nestjs/common';
import { WebhookDeliveryQueue } from './delivery/webhook-delivery-queue.js';
import { WebhookDeliveryQueueRepository } from './delivery/webhook-delivery-queue.repository.js';
import { WebhookAttemptLogRepository } from './webhook-attempt-log.repository.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';
import { WebhookProblems } from './webhook-problems.js';
import { FINISHED_DELIVERY_STATUSES, type Delivery, type DeliveryAttempt, type DeliveryStatus, type PageCursor } from './webhook.types.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface DeliveryPage {
  deliveries: Delivery[];
  attempts: DeliveryAttempt[];
}

/** The delivery log (deliveries with their attempts) and redelivery. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly log: WebhookAttemptLogRepository,
    private readonly rows: WebhookDeliveryQueueRepository,
    private readonly queue: WebhookDeliveryQueue,
  ) {}

  async list(
    filter: { subscriptionId?: string; jobId?: string; status?: DeliveryStatus },
    before: PageCursor | undefined,
    limit: number,
    scope: TenantScope,
  ): Promise<DeliveryPage> {
    if (filter.subscriptionId && !(await this.subscriptions.findSubscription(filter.subscriptionId, scope))) {
      throw WebhookProblems.notFound(filter.subscriptionId);
    }
    const deliveries = await this.log.listDeliveries(filter, before, limit, scope);
    const attempts = await this.log.attemptsOf(deliveries.map((delivery) => delivery.id));
    return { deliveries, attempts };
  }

  /** Sends a finished delivery again, same webhook-id, with a fresh round of attempts. */
  async redeliver(deliveryId: string, scope: TenantScope): Promise<DeliveryPage> {
    const existing = await this.log.findDelivery(deliveryId, scope);
    if (!existing) throw WebhookProblems.deliveryNotFound(deliveryId);
    if (!FINISHED_DELIVERY_STATUSES.includes(existing.status)) throw WebhookProblems.deliveryInProgress(deliveryId, existing.status);
    if (existing.subscriptionId) {
      const subscription = await this.subscriptions.findSubscription(existing.subscriptionId, scope);
      if (subscription && !subscription.enabled) throw WebhookProblems.disabled(subscription.id);
    }
    const delivery = await this.rows.redeliver(deliveryId);
    if (!delivery) throw WebhookProblems.deliveryInProgress(deliveryId, 'pending');
    await this.queue.enqueued([{ id: delivery.id, round: delivery.round }]);
    return { deliveries: [delivery], attempts: await this.log.attemptsOf([delivery.id]) };
  }
}
