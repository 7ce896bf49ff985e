import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One SMTP attempt of an email delivery. */
@Entity({ name: 'email_delivery_attempts' })
@Check('email_delivery_attempts_outcome_check', `outcome = ANY (ARRAY['delivered'::text, 'retry'::text, 'failed'::text])`)
@Index('email_delivery_attempts_delivery_idx', ['deliveryId', 'id'])
export class EmailDeliveryAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'email_delivery_attempts_pkey' })
  id: string;

  @Column('uuid', { name: 'delivery_id' })
  @ForeignKey('EmailDeliveryEntity', { onDelete: 'CASCADE', name: 'email_delivery_attempts_delivery_id_fkey' })
  deliveryId: string;

  @Column('int')
  attempt: number;

  @Column('int')
  round: number;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @Column('int', { name: 'latency_ms' })
  latencyMs: number;

  @Column('int', { name: 'smtp_code', nullable: true })
  smtpCode: number | null;

  @Column('text')
  outcome: string;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('timestamptz', { name: 'retry_at', nullable: true })
  retryAt: Date | null;
}
