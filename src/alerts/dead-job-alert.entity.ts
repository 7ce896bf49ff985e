import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One raised alert per job type and window: the row makes it fire once across nodes. */
@Entity({ name: 'dead_job_alerts' })
export class DeadJobAlertEntity {
  @PrimaryColumn('text', { name: 'job_type', primaryKeyConstraintName: 'dead_job_alerts_pkey' })
  jobType: string;

  @PrimaryColumn('timestamptz', { name: 'window_start', primaryKeyConstraintName: 'dead_job_alerts_pkey' })
  windowStart: Date;

  @Column('int', { name: 'dead_count' })
  deadCount: number;

  @Column('timestamptz', { name: 'raised_at', default: () => 'now()' })
  raisedAt: Date;
}
