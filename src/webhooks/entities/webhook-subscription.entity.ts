import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A tenant's webhook endpoint; secrets are sealed (never plain text). */
@Entity({ name: 'webhook_subscriptions' })
@Index('webhook_subscriptions_events_idx', ['events'], { where: 'enabled', type: 'gin' })
@Index('webhook_subscriptions_list_idx', ['createdAt', 'id'])
@Index('webhook_subscriptions_tenant_list_idx', ['tenant', 'createdAt', 'id'])
export class WebhookSubscriptionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'webhook_subscriptions_pkey' })
  id: string;

  @Column('text')
  url: string;

  @Column('text', { array: true })
  events: string[];

  @Column('text', { nullable: true })
  description: string | null;

  @Column('text')
  secret: string;

  @Column('text', { name: 'previous_secret', nullable: true })
  previousSecret: string | null;

  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason: string | null;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt: Date | null;

  @Column('int', { name: 'consecutive_failures', default: 0 })
  consecutiveFailures: number;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;

  @Column('text')
  tenant: string;
}
