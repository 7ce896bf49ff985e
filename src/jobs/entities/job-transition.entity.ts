import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One move of a job's state machine; rows with `effects_pending` still owe their consequences. */
@Entity({ name: 'job_transitions' })
@Index('job_transitions_job_idx', ['jobId', 'id'])
@Index('job_transitions_effects_idx', ['id'], { where: 'effects_pending' })
export class JobTransitionEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'job_transitions_pkey' })
  id: string;

  @Column('uuid', { name: 'job_id' })
  @ForeignKey('JobEntity', { onDelete: 'CASCADE', name: 'job_transitions_job_id_fkey' })
  jobId: string;

  @Column('text', { name: 'from_status', nullable: true })
  fromStatus: string | null;

  @Column('text', { name: 'to_status' })
  toStatus: string;

  @Column('int')
  attempt: number;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('timestamptz', { default: () => 'clock_timestamp()' })
  at: Date;

  @Column('jsonb', { nullable: true })
  detail: unknown;

  /** Which worker ran the attempt and the trimmed stack of its failure: for operators, never public. */
  @Column('jsonb', { nullable: true })
  diagnostics: unknown;

  @Column('boolean', { name: 'effects_pending', default: false })
  effectsPending: boolean;
}
