import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A dead job replayed as a new one. */
@Entity({ name: 'job_replays' })
@Index('job_replays_dead_idx', ['deadJobId', 'id'])
@Index('job_replays_new_uq', ['newJobId'], { unique: true })
export class JobReplayEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'job_replays_pkey' })
  id: string;

  @Column('uuid', { name: 'dead_job_id' })
  @ForeignKey('JobEntity', { onDelete: 'CASCADE', name: 'job_replays_dead_job_id_fkey' })
  deadJobId: string;

  @Column('uuid', { name: 'new_job_id' })
  @ForeignKey('JobEntity', { onDelete: 'CASCADE', name: 'job_replays_new_job_id_fkey' })
  newJobId: string;

  @Column('boolean', { name: 'payload_changed' })
  payloadChanged: boolean;

  @Column('timestamptz', { name: 'replayed_at', default: () => 'now()' })
  replayedAt: Date;
}
