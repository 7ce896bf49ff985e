import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One HTTP attempt of a delivery (the delivery log). */
@Entity({ name: 'webhook_delivery_attempts' })
@Check('webhook_delivery_attempts_outcome_check', `outcome = ANY (ARRAY['delivered'::text, 'retry'::text, 'failed'::text])`)
@Index('webhook_delivery_attempts_delivery_idx', ['deliveryId', 'id'])
export class WebhookDeliveryAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'webhook_delivery_attempts_pkey' })
  id: string;

  @Column('uuid', { name: 'delivery_id' })
  @ForeignKey('WebhookDeliveryEntity', { onDelete: 'CASCADE', name: 'webhook_delivery_attempts_delivery_id_fkey' })
  deliveryId: string;

  @Column('int')
  attempt: number;

  @Column('int')
  round: number;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @Column('bigint', { name: 'webhook_timestamp' })
  webhookTimestamp: string;

  @Column('int', { name: 'status_code', nullable: true })
  statusCode: number | null;

  @Column('int', { name: 'latency_ms' })
  latencyMs: number;

  @Column('text')
  outcome: string;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('timestamptz', { name: 'retry_at', nullable: true })
  retryAt: Date | null;
}
