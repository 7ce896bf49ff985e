import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/** A result kept in PostgreSQL by the database result store. */
@Entity({ name: 'job_results' })
export class JobResultEntity {
  @PrimaryColumn('uuid', { name: 'job_id', primaryKeyConstraintName: 'job_results_pkey' })
  @ForeignKey('JobEntity', { onDelete: 'CASCADE', name: 'job_results_job_id_fkey' })
  jobId: string;

  @Column('text', { name: 'content_type' })
  contentType: string;

  @Column('bytea')
  body: Buffer;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('int', { nullable: true })
  attempt: number | null;
}
