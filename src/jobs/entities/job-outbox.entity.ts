import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A Kafka message written in the job's transaction and sent by the relay afterwards. */
@Entity({ name: 'job_outbox' })
@Index('job_outbox_unsent_idx', ['id'], { where: 'sent_at IS NULL' })
@Index('job_outbox_sent_idx', ['sentAt'], { where: 'sent_at IS NOT NULL' })
export class JobOutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'job_outbox_pkey' })
  id: string;

  @Column('text')
  topic: string;

  @Column('text', { name: 'message_key', nullable: true })
  messageKey: string | null;

  @Column('jsonb')
  value: unknown;

  @Column('jsonb', { default: {} })
  headers: Record<string, string>;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;
}
