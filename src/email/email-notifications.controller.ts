import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AnyRole, Writers } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { decodeTimeCursor, timePage } from '../common/pagination/cursor.js';
import { PageQuery } from '../common/pagination/page.query.js';
import { UuidOr404 } from '../common/validation/uuid-or-404.pipe.js';
import { scopeOf } from '../tenancy/caller-scope.js';
import { CreateEmailSubscriptionDto, EmailSubscriptionDto, EmailSubscriptionListDto } from './dto/email-subscription.dto.js';
import { EmailProblemResponses, EmailProblems } from './email-problems.js';
import { EmailSubscriptionsRepository } from './email-subscriptions.repository.js';
import type { EmailSubscription } from './email.types.js';
import { maskAddress } from './domain/mask-address.js';
import { EmailDeliveriesQuery, EmailDeliveryListDto, type EmailDeliveryDto } from './dto/email-delivery.dto.js';
import { EmailDeliveryLogRepository, type EmailDeliveryEntry } from './email-delivery-log.repository.js';

const DEFAULT_LIMIT = 50;

@ApiTags('notifications')
@AnyRole()
@Controller('notifications/email')
export class EmailNotificationsController {
  constructor(
    private readonly subscriptions: EmailSubscriptionsRepository,
    private readonly deliveries: EmailDeliveryLogRepository,
  ) {}

  @Post()
  @Writers()
  @ApiOperation({
    operationId: 'createEmailSubscription',
    summary: 'Email an address on the caller’s tenant’s job events',
    description: 'Sent over SMTP_URL with the job’s link, status and error; retried like webhooks.',
  })
  @ApiCreatedResponse({ type: EmailSubscriptionDto })
  @EmailProblemResponses(400)
  async create(@Body() body: CreateEmailSubscriptionDto, @Caller() caller: ApiPrincipal): Promise<EmailSubscriptionDto> {
    return toDto(await this.subscriptions.insert({ tenant: caller.tenant, address: body.address, events: body.events }));
  }

  @Get()
  @ApiOperation({ operationId: 'listEmailSubscriptions', summary: 'List email subscriptions, newest first' })
  @ApiOkResponse({ type: EmailSubscriptionListDto })
  @EmailProblemResponses(400, 403)
  async list(@Query() query: PageQuery, @Caller() caller: ApiPrincipal): Promise<EmailSubscriptionListDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor);
    const { items, nextCursor } = timePage(await this.subscriptions.list(before, limit + 1, scopeOf(caller, query.tenant)), limit);
    return { items: items.map(toDto), nextCursor };
  }

  @Get('deliveries')
  @ApiOperation({
    operationId: 'listEmailDeliveries',
    summary: 'The email delivery log, newest first: what was sent, to whom (masked), and what happened',
  })
  @ApiOkResponse({ type: EmailDeliveryListDto })
  @EmailProblemResponses(400, 403)
  async deliveryLog(@Query() query: EmailDeliveriesQuery, @Caller() caller: ApiPrincipal): Promise<EmailDeliveryListDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor);
    const rows = await this.deliveries.list({ jobId: query.jobId?.toLowerCase(), status: query.status }, before, limit + 1, scopeOf(caller, query.tenant));
    const { items, nextCursor } = timePage(rows, limit);
    return { items: items.map(toDeliveryDto), nextCursor };
  }

  @Delete(':id')
  @Writers()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteEmailSubscription', summary: 'Stop emailing an address (emails already queued still go out)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @EmailProblemResponses(404)
  async remove(@Param('id', new UuidOr404(EmailProblems.notFound)) id: string, @Caller() caller: ApiPrincipal): Promise<void> {
    if (!(await this.subscriptions.delete(id, scopeOf(caller)))) throw EmailProblems.notFound(id);
  }
}

function toDeliveryDto(entry: EmailDeliveryEntry): EmailDeliveryDto {
  return {
    id: entry.id,
    tenant: entry.tenant,
    jobId: entry.jobId,
    event: entry.event,
    recipient: maskAddress(entry.recipient),
    subject: entry.subject,
    status: entry.status,
    attempts: entry.attempts,
    lastError: entry.lastError,
    createdAt: entry.createdAt.toISOString(),
    nextAttemptAt: entry.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: entry.deliveredAt?.toISOString() ?? null,
  };
}

function toDto(subscription: EmailSubscription): EmailSubscriptionDto {
  return {
    id: subscription.id,
    tenant: subscription.tenant,
    address: subscription.address,
    events: subscription.events,
    createdAt: subscription.createdAt.toISOString(),
  };
}
