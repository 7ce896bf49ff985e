import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CreateWebhookDto, DeliveriesQuery, JobDeliveriesQuery, PageQuery, RotateSecretDto, UpdateWebhookDto } from './dto/webhook-requests.dto.js';
import { DeliveryDto, DeliveryListDto, RotatedSecretDto, WebhookCreatedDto, WebhookDto, WebhookListDto } from './dto/webhook-views.dto.js';
import { WebhookDeliveriesService, type DeliveryPage } from './webhook-deliveries.service.js';
import { WebhookProblemResponses, WebhookProblems } from './webhook-problems.js';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';
import { decodeCursor, toDeliveryDto, toWebhookDto } from './webhook-view.mapper.js';
import { timePage } from '../common/pagination/cursor.js';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AnyRole, Writers } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { Audited } from '../common/audit/audited.decorator.js';
import { UuidOr404 } from '../common/validation/uuid-or-404.pipe.js';

const DEFAULT_LIMIT = 50;
const webhookId = new UuidOr404(WebhookProblems.notFound);
const deliveryId = new UuidOr404(WebhookProblems.deliveryNotFound);

@ApiTags('webhooks')
@AnyRole()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Audited({ action: 'webhook.subscription.create' })
  @Post()
  @Writers()
  @ApiOperation({ operationId: 'createWebhook',
    summary: 'Subscribe a URL to job events',
    description:
      'Answers 201 with the signing secret (whsec_…), shown only this once. Deliveries carry Standard Webhooks headers ' +
      '(webhook-id, webhook-timestamp, webhook-signature) and the seed’s X-Signature: sha256=<hex>.',
  })
  @ApiCreatedResponse({ type: WebhookCreatedDto })
  @WebhookProblemResponses(400, 422)
  async create(@Body() body: CreateWebhookDto, @Caller() caller: ApiPrincipal): Promise<WebhookCreatedDto> {
    const { subscription, secret } = await this.subscriptions.create(body, caller.tenant);
    return { ...toWebhookDto(subscription), secret };
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks', summary: 'List webhooks, newest first (secrets are never shown again)' })
  @ApiOkResponse({ type: WebhookListDto })
  @WebhookProblemResponses(400, 403)
  async list(@Query() query: PageQuery, @Caller() caller: ApiPrincipal): Promise<WebhookListDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.subscriptions.list(decodeCursor(query.cursor), limit + 1, scopeOf(caller, query.tenant));
    const { items, nextCursor } = timePage(rows, limit);
    return { items: items.map((subscription) => toWebhookDto(subscription)), nextCursor };
  }

  @Get('deliveries')
  @ApiOperation({ operationId: 'listJobDeliveries', summary: 'Deliveries of one job’s events (its callbackUrl and every subscription), newest first' })
  @ApiOkResponse({ type: DeliveryListDto })
  @WebhookProblemResponses(400, 403)
  async jobDeliveries(@Query() query: JobDeliveriesQuery, @Caller() caller: ApiPrincipal): Promise<DeliveryListDto> {
    return this.deliveryPage({ jobId: query.jobId.toLowerCase(), status: query.status }, query, scopeOf(caller, query.tenant));
  }

  @Post('deliveries/:deliveryId/redeliver')
  @Writers()
  @HttpCode(202)
  @ApiOperation({ operationId: 'redeliverWebhookDelivery', summary: 'Send a finished delivery again', description: 'Same webhook-id, a fresh round of attempts.' })
  @ApiParam({ name: 'deliveryId', format: 'uuid' })
  @ApiAcceptedResponse({ type: DeliveryDto })
  @WebhookProblemResponses(404, 409)
  async redeliver(@Param('deliveryId', deliveryId) id: string, @Caller() caller: ApiPrincipal): Promise<DeliveryDto> {
    return firstDelivery(await this.deliveries.redeliver(id, scopeOf(caller)));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWebhook', summary: 'One webhook' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDto })
  @WebhookProblemResponses(404)
  async get(@Param('id', webhookId) id: string, @Caller() caller: ApiPrincipal): Promise<WebhookDto> {
    return toWebhookDto(await this.subscriptions.get(id, scopeOf(caller)));
  }

  @Audited({ action: 'webhook.subscription.update' })
  @Patch(':id')
  @Writers()
  @ApiOperation({ operationId: 'updateWebhook', summary: 'Change the URL, events, description, or enable/disable' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDto })
  @WebhookProblemResponses(400, 404, 422)
  async update(@Param('id', webhookId) id: string, @Body() body: UpdateWebhookDto, @Caller() caller: ApiPrincipal): Promise<WebhookDto> {
    return toWebhookDto(await this.subscriptions.update(id, body, scopeOf(caller)));
  }

  @Audited({ action: 'webhook.subscription.delete' })
  @Delete(':id')
  @Writers()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Delete a webhook with its delivery log' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @WebhookProblemResponses(404)
  async remove(@Param('id', webhookId) id: string, @Caller() caller: ApiPrincipal): Promise<void> {
    await this.subscriptions.remove(id, scopeOf(caller));
  }

  @Audited({ action: 'webhook.subscription.rotate' })
  @Post(':id/rotate-secret')
  @Writers()
  @HttpCode(200)
  @ApiOperation({ operationId: 'rotateWebhookSecret',
    summary: 'Replace the signing secret',
    description: 'The old secret keeps signing beside the new one (webhook-signature lists both) for overlapSeconds.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RotatedSecretDto })
  @WebhookProblemResponses(400, 404)
  async rotateSecret(@Param('id', webhookId) id: string, @Body() body: RotateSecretDto, @Caller() caller: ApiPrincipal): Promise<RotatedSecretDto> {
    const { subscription, secret } = await this.subscriptions.rotateSecret(id, body.overlapSeconds, scopeOf(caller));
    return { id: subscription.id, secret, previousSecretExpiresAt: toWebhookDto(subscription).previousSecretExpiresAt };
  }

  @Post(':id/test')
  @Writers()
  @HttpCode(202)
  @ApiOperation({ operationId: 'testWebhook', summary: 'Queue a signed `webhook.test` message to the URL; follow it in the deliveries log' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: DeliveryDto })
  @WebhookProblemResponses(404)
  async test(@Param('id', webhookId) id: string, @Caller() caller: ApiPrincipal): Promise<DeliveryDto> {
    return toDeliveryDto(await this.subscriptions.sendTest(id, scopeOf(caller)), []);
  }

  @Get(':id/deliveries')
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: 'The delivery log: each message with its attempts (time, status code, latency, error, response excerpt)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DeliveryListDto })
  @WebhookProblemResponses(400, 403, 404)
  async deliveriesOf(@Param('id', webhookId) id: string, @Query() query: DeliveriesQuery, @Caller() caller: ApiPrincipal): Promise<DeliveryListDto> {
    return this.deliveryPage({ subscriptionId: id, status: query.status }, query, scopeOf(caller, query.tenant));
  }

  private async deliveryPage(filter: Parameters<WebhookDeliveriesService['list']>[0], query: PageQuery, scope: TenantScope): Promise<DeliveryListDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const result = await this.deliveries.list(filter, decodeCursor(query.cursor), limit + 1, scope);
    const { items, nextCursor } = timePage(result.deliveries, limit);
    return { items: items.map((delivery) => toDeliveryDto(delivery, result.attempts)), nextCursor };
  }
}

function firstDelivery(result: DeliveryPage): DeliveryDto {
  const [delivery] = result.deliveries;
  if (!delivery) throw new Error('redeliver returned no delivery');
  return toDeliveryDto(delivery, result.attempts);
}
