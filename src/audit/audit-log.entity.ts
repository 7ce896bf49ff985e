import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One admin or security-relevant action; append-only (a trigger refuses changes). */
@Entity({ name: 'audit_log' })
@Index('audit_log_at_idx', ['at'])
@Index('audit_log_action_idx', ['action', 'id'])
@Index('audit_log_tenant_idx', ['tenant', 'id'])
@Index('audit_log_actor_idx', ['actor', 'id'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'audit_log_pkey' })
  id: string;

  @Column('timestamptz', { default: () => 'clock_timestamp()' })
  at: Date;

  @Column('text')
  actor: string;

  @Column('text', { name: 'actor_role' })
  actorRole: string;

  @Column('text')
  tenant: string;

  @Column('text')
  action: string;

  @Column('text', { nullable: true })
  target: string | null;

  @Column('text', { name: 'remote_address', nullable: true })
  remoteAddress: string | null;

  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  @Column('jsonb', { nullable: true })
  details: unknown;
}
