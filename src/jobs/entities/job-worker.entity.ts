import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A live worker node and the job types it can run (its presence heartbeat). */
@Entity({ name: 'job_workers' })
export class JobWorkerEntity {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'job_workers_pkey' })
  id: string;

  @Column('text', { name: 'job_types', array: true })
  jobTypes: string[];

  @Column('timestamptz', { name: 'started_at', default: () => 'now()' })
  startedAt: Date;

  @Column('timestamptz', { name: 'last_seen_at', default: () => 'now()' })
  lastSeenAt: Date;
}
