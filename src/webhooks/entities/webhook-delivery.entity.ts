import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';

/** One event owed to one endpoint, durable before it is sent. */
@Entity({ name: 'webhook_deliveries' })
@Check(
  'webhook_deliveries_status_check',
  `status = ANY (ARRAY['pending'::text, 'delivering'::text, 'delivered'::text, 'failed'::text, 'cancelled'::text])`,
)
@Unique('webhook_deliveries_message_endpoint_uq', ['messageId', 'endpointKey'])
@Index('webhook_deliveries_due_idx', ['nextAttemptAt'], { where: `status = 'pending'::text` })
@Index('webhook_deliveries_finished_idx', ['updatedAt'], {
  where: `status = ANY (ARRAY['delivered'::text, 'failed'::text, 'cancelled'::text])`,
})
@Index('webhook_deliveries_job_idx', ['jobId'], { where: 'job_id IS NOT NULL' })
@Index('webhook_deliveries_lease_idx', ['lockedUntil'], { where: `status = 'delivering'::text` })
@Index('webhook_deliveries_not_handed_off_idx', ['createdAt'], { where: `status = 'pending'::text AND NOT handed_off` })
@Index('webhook_deliveries_subscription_idx', ['subscriptionId', 'createdAt', 'id'])
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id: string;

  @Column('text', { name: 'message_id' })
  messageId: string;

  @Column('text', { name: 'endpoint_key' })
  endpointKey: string;

  @Column('uuid', { name: 'subscription_id', nullable: true })
  @ForeignKey('WebhookSubscriptionEntity', { onDelete: 'CASCADE', name: 'webhook_deliveries_subscription_id_fkey' })
  subscriptionId: string | null;

  @Column('text')
  url: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('uuid', { name: 'job_id', nullable: true })
  jobId: string | null;

  @Column('text')
  body: string;

  @Column('text')
  status: string;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('int', { default: 1 })
  round: number;

  @Column('int', { name: 'round_attempts', default: 0 })
  roundAttempts: number;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @Column('text', { name: 'locked_by', nullable: true })
  lockedBy: string | null;

  @Column('boolean', { name: 'handed_off', default: false })
  handedOff: boolean;

  @Column('int', { name: 'last_status_code', nullable: true })
  lastStatusCode: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;

  @Column('text')
  tenant: string;
}
