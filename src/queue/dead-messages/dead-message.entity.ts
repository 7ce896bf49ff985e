import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A Kafka message that never became a job (its copy is on the dead letter topic). */
@Entity({ name: 'dead_messages' })
@Index('dead_messages_origin_uq', ['topic', 'partition', 'offset'], { unique: true })
@Index('dead_messages_list_idx', ['failedAt', 'id'])
export class DeadMessageEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'dead_messages_pkey' })
  id: string;

  @Column('text')
  topic: string;

  @Column('int')
  partition: number;

  @Column('bigint')
  offset: string;

  @Column('bytea', { name: 'message_key', nullable: true })
  messageKey: Buffer | null;

  @Column('bytea', { nullable: true })
  value: Buffer | null;

  @Column('boolean', { name: 'value_truncated', default: false })
  valueTruncated: boolean;

  @Column('jsonb')
  headers: Record<string, string>;

  @Column('text')
  code: string;

  @Column('text')
  reason: string;

  @Column('text', { nullable: true })
  tenant: string | null;

  @Column('timestamptz', { name: 'failed_at', default: () => 'now()' })
  failedAt: Date;

  @Column('timestamptz', { name: 'replayed_at', nullable: true })
  replayedAt: Date | null;

  @Column('uuid', { name: 'replay_job_id', nullable: true })
  replayJobId: string | null;

  @Column('text', { name: 'replayed_by', nullable: true })
  replayedBy: string | null;
}
