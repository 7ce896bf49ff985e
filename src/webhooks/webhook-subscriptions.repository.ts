import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope.js';
import { SUBSCRIPTION_COLUMNS, toSubscription, type Row } from './webhook-rows.js';
import type { PageCursor, Subscription } from './webhook.types.js';

export interface NewSubscription {
  tenant: string;
  url: string;
  events: string[];
  description: string | null;
  secret: string;
}

export interface SubscriptionPatch {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}

export interface SubscriptionFailure {
  consecutiveFailures: number;
  justDisabled: boolean;
  disabledReason: string | null;
}

export interface StoredSecrets {
  id: string;
  secret: string;
  previousSecret: string | null;
}

/**
 * Webhook subscriptions: what a tenant asked for, their signing secrets, and their failure streak.
 * UPDATE/DELETE … RETURNING sit in a CTE because TypeORM answers a bare UPDATE with [rows, count].
 */
@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(private readonly db: DataSource) {}

  async insertSubscription(input: NewSubscription): Promise<Subscription> {
    const rows = await this.db.query<Row[]>(
      `INSERT INTO webhook_subscriptions (id, url, events, description, secret, tenant)
       VALUES ($1, $2, $3::text[], $4, $5, $6) RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [randomUUID(), input.url, input.events, input.description, input.secret, input.tenant],
    );
    return toSubscription(rows[0]);
  }

  async findSubscription(id: string, scope: TenantScope): Promise<Subscription | null> {
    const rows = await this.db.query<Row[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`,
      [id, tenantParam(scope)],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async listSubscriptions(before: PageCursor | undefined, limit: number, scope: TenantScope): Promise<Subscription[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions
       WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)) AND ($4::text IS NULL OR tenant = $4)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [before?.createdAt ?? null, before?.id ?? null, limit, tenantParam(scope)],
    );
    return rows.map(toSubscription);
  }

  /** Re-enabling clears the failure streak and the reason it was disabled. */
  async updateSubscription(id: string, patch: SubscriptionPatch, scope: TenantScope): Promise<Subscription | null> {
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE webhook_subscriptions SET
         url = coalesce($2, url),
         events = coalesce($3::text[], events),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         consecutive_failures = CASE WHEN $6::boolean IS TRUE AND NOT enabled THEN 0 ELSE consecutive_failures END,
         disabled_reason = CASE WHEN $6::boolean IS TRUE THEN NULL
                                WHEN $6::boolean IS FALSE AND enabled THEN 'disabled by request' ELSE disabled_reason END,
         disabled_at = CASE WHEN $6::boolean IS TRUE THEN NULL
                            WHEN $6::boolean IS FALSE AND enabled THEN now() ELSE disabled_at END,
         enabled = coalesce($6::boolean, enabled),
         updated_at = now()
       WHERE id = $1 AND ($7::text IS NULL OR tenant = $7) RETURNING ${SUBSCRIPTION_COLUMNS}) SELECT * FROM changed`,
      [
        id,
        patch.url ?? null,
        patch.events ?? null,
        patch.description !== undefined,
        patch.description ?? null,
        patch.enabled ?? null,
        tenantParam(scope),
      ],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async deleteSubscription(id: string, scope: TenantScope): Promise<boolean> {
    const rows = await this.db.query<Row[]>(
      `WITH deleted AS (DELETE FROM webhook_subscriptions WHERE id = $1 AND ($2::text IS NULL OR tenant = $2) RETURNING id) SELECT id FROM deleted`,
      [id, tenantParam(scope)],
    );
    return rows.length > 0;
  }

  /** The current secret becomes the previous one (signing until the overlap ends); `secret` becomes current. */
  async rotateSecret(
    id: string,
    secret: string,
    overlapSeconds: number,
    scope: TenantScope,
  ): Promise<Subscription | null> {
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE webhook_subscriptions SET
         previous_secret = CASE WHEN $3::int > 0 THEN secret END,
         previous_secret_expires_at = CASE WHEN $3::int > 0 THEN now() + make_interval(secs => $3::int) END,
         secret = $2, updated_at = now()
       WHERE id = $1 AND ($4::text IS NULL OR tenant = $4) RETURNING ${SUBSCRIPTION_COLUMNS}) SELECT * FROM changed`,
      [id, secret, overlapSeconds, tenantParam(scope)],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** Every subscription's stored secrets (for the start-up re-seal). */
  async storedSecrets(): Promise<StoredSecrets[]> {
    const rows = await this.db.query<Row[]>(`SELECT id, secret, previous_secret FROM webhook_subscriptions`);
    return rows.map((row) => ({ id: row.id as string, secret: row.secret as string, previousSecret: (row.previous_secret as string | null) ?? null }));
  }

  /** Replaces the stored secrets only if they are still `was` (a rotation meanwhile wins). */
  async replaceSecrets(was: StoredSecrets, next: Omit<StoredSecrets, 'id'>): Promise<boolean> {
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE webhook_subscriptions SET secret = $4, previous_secret = $5
         WHERE id = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3 RETURNING id) SELECT id FROM changed`,
      [was.id, was.secret, was.previousSecret, next.secret, next.previousSecret],
    );
    return rows.length > 0;
  }

  /** A message failed for good: the streak grows; at 410 or at `disableAfter` (0 = never) the subscription is disabled. */
  async recordFailure(
    subscriptionId: string,
    gone: boolean,
    disableAfter: number,
  ): Promise<SubscriptionFailure | null> {
    const disable = `$2::boolean OR ($3::int > 0 AND s.consecutive_failures + 1 >= $3::int)`;
    const rows = await this.db.query<Row[]>(
      `WITH changed AS (
         UPDATE webhook_subscriptions s SET
           consecutive_failures = s.consecutive_failures + 1,
           enabled = s.enabled AND NOT (${disable}),
           disabled_reason = CASE WHEN s.enabled AND (${disable})
             THEN CASE WHEN $2::boolean THEN 'the receiver answered 410 Gone' ELSE ($3::int)::text || ' consecutive messages failed' END
             ELSE s.disabled_reason END,
           disabled_at = CASE WHEN s.enabled AND (${disable}) THEN now() ELSE s.disabled_at END,
           updated_at = now()
          WHERE s.id = $1
          RETURNING s.consecutive_failures, s.disabled_reason, (NOT s.enabled AND s.disabled_at = now()) AS just_disabled
       )
       SELECT * FROM changed`,
      [subscriptionId, gone, disableAfter],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      consecutiveFailures: Number(row.consecutive_failures),
      justDisabled: row.just_disabled === true,
      disabledReason: (row.disabled_reason as string | null) ?? null,
    };
  }
}
