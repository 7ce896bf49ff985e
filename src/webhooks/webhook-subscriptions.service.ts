import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Problems } from '../common/problem/problem.exception.js';
import { AllowList } from '../common/outbound-url/address-policy.js';
import { generateSecret, isValidSecret } from './domain/signature.js';
import { randomMessageId, testEventPayload, TEST_EVENT_TYPE } from './domain/webhook-events.js';
import { WebhookDeliveryQueue } from './delivery/webhook-delivery-queue.js';
import { WebhookDeliveryQueueRepository } from './delivery/webhook-delivery-queue.repository.js';
import { checkOutboundUrl } from '../common/outbound-url/url-guard.js';
import { systemResolver } from '../common/outbound-url/host-resolver.js';
import type { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook-requests.dto.js';
import { WebhookProblems } from './webhook-problems.js';
import type { Delivery, PageCursor, Subscription } from './webhook.types.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';
import { WebhookSecrets } from './webhook-secrets.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** Subscriptions: create (with the SSRF check), read, change, delete, rotate the secret, send a test. */
@Injectable()
export class WebhookSubscriptionsService {
  private readonly allow: AllowList;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: WebhookSubscriptionsRepository,
    private readonly rows: WebhookDeliveryQueueRepository,
    private readonly queue: WebhookDeliveryQueue,
    private readonly secrets: WebhookSecrets,
  ) {
    this.allow = AllowList.parse(config.webhooks.allowedHosts);
  }

  /** The subscription belongs to `tenant` and receives only that tenant's job events. */
  async create(input: CreateWebhookDto, tenant: string): Promise<{ subscription: Subscription; secret: string }> {
    if (input.secret !== undefined && !isValidSecret(input.secret)) {
      throw Problems.validation([{ field: 'secret', message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes' }]);
    }
    await this.assertUrlAllowed(input.url);
    const secret = input.secret ?? generateSecret();
    const subscription = await this.repository.insertSubscription({
      tenant,
      url: input.url,
      events: input.events,
      description: input.description ?? null,
      secret: this.secrets.seal(secret),
    });
    return { subscription, secret };
  }

  list(before: PageCursor | undefined, limit: number, scope: TenantScope): Promise<Subscription[]> {
    return this.repository.listSubscriptions(before, limit, scope);
  }

  async get(id: string, scope: TenantScope): Promise<Subscription> {
    const subscription = await this.repository.findSubscription(id, scope);
    if (!subscription) throw WebhookProblems.notFound(id);
    return subscription;
  }

  async update(id: string, patch: UpdateWebhookDto, scope: TenantScope): Promise<Subscription> {
    await this.get(id, scope); // another tenant's webhook is unknown: 404 before the URL check says anything
    if (patch.url !== undefined) await this.assertUrlAllowed(patch.url);
    const updated = await this.repository.updateSubscription(id, patch, scope);
    if (!updated) throw WebhookProblems.notFound(id);
    return updated;
  }

  async remove(id: string, scope: TenantScope): Promise<void> {
    if (!(await this.repository.deleteSubscription(id, scope))) throw WebhookProblems.notFound(id);
  }

  async rotateSecret(id: string, overlapSeconds: number | undefined, scope: TenantScope): Promise<{ subscription: Subscription; secret: string }> {
    const secret = generateSecret();
    const overlap = overlapSeconds ?? this.config.webhooks.rotationOverlapSeconds;
    const subscription = await this.repository.rotateSecret(id, this.secrets.seal(secret), overlap, scope);
    if (!subscription) throw WebhookProblems.notFound(id);
    return { subscription, secret };
  }

  /** Queues a `webhook.test` message through the normal path (signed, retried, logged), even to a disabled webhook. */
  async sendTest(id: string, scope: TenantScope): Promise<Delivery> {
    const subscription = await this.get(id, scope);
    const messageId = randomMessageId();
    const body = JSON.stringify(testEventPayload(messageId, new Date()));
    const delivery = await this.rows.enqueueTest(subscription, messageId, TEST_EVENT_TYPE, body);
    await this.queue.enqueued([{ id: delivery.id, round: delivery.round }]);
    return delivery;
  }

  private async assertUrlAllowed(url: string): Promise<void> {
    const check = await checkOutboundUrl(url, this.allow, systemResolver);
    if (!check.ok) throw WebhookProblems.urlRefused(check.reason);
  }
}
