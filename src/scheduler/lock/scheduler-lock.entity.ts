import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** A named lease held by one scheduler node; its fencing token grows with every new holder. */
@Entity({ name: 'scheduler_locks' })
@Check('scheduler_locks_fencing_token_check', 'fencing_token > 0')
export class SchedulerLockEntity {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'scheduler_locks_pkey' })
  name: string;

  @Column('timestamptz', { name: 'lock_until' })
  lockUntil: Date;

  @Column('timestamptz', { name: 'locked_at' })
  lockedAt: Date;

  @Column('text', { name: 'locked_by' })
  lockedBy: string;

  @Column('bigint', { name: 'fencing_token' })
  fencingToken: string;
}
