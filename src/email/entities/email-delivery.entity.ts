import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';

/** One email owed to one recipient, durable before it is sent. */
@Entity({ name: 'email_deliveries' })
@Check(
  'email_deliveries_status_check',
  `status = ANY (ARRAY['pending'::text, 'delivering'::text, 'delivered'::text, 'failed'::text, 'cancelled'::text])`,
)
@Unique('email_deliveries_message_recipient_uq', ['messageId', 'recipient'])
@Index('email_deliveries_due_idx', ['nextAttemptAt'], { where: `status = 'pending'::text` })
@Index('email_deliveries_lease_idx', ['lockedUntil'], { where: `status = 'delivering'::text` })
@Index('email_deliveries_not_handed_off_idx', ['createdAt'], { where: `status = 'pending'::text AND NOT handed_off` })
@Index('email_deliveries_finished_idx', ['updatedAt'], {
  where: `status = ANY (ARRAY['delivered'::text, 'failed'::text, 'cancelled'::text])`,
})
@Index('email_deliveries_job_idx', ['jobId'], { where: 'job_id IS NOT NULL' })
export class EmailDeliveryEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'email_deliveries_pkey' })
  id: string;

  @Column('text')
  tenant: string;

  @Column('text', { name: 'message_id' })
  messageId: string;

  @Column('uuid', { name: 'subscription_id', nullable: true })
  @ForeignKey('EmailSubscriptionEntity', { onDelete: 'SET NULL', name: 'email_deliveries_subscription_id_fkey' })
  subscriptionId: string | null;

  @Column('text')
  recipient: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('uuid', { name: 'job_id', nullable: true })
  jobId: string | null;

  @Column('text')
  subject: string;

  @Column('text', { name: 'text_body' })
  textBody: string;

  @Column('text', { name: 'html_body' })
  htmlBody: string;

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

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;
}
