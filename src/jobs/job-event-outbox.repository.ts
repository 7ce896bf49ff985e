import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowDate } from '../common/sql/row-values.js';
import type { JobStatus } from './domain/job-status.js';
import type { JobEvent, JobEventTransaction } from './job-event.js';
import type { JobError } from './job.js';
import { PreparedStatement } from '../common/sql/prepared-statement.js';
import { jobColumns, toJob, type JobRow } from './job-row.mapper.js';

/** Marks up to $1 pending events done and answers them with their jobs (prepared: every relay pass runs it). */
const TAKE_PENDING = new PreparedStatement<JobRow>(
  'jobEvents.takePending',
  `WITH picked AS (
     SELECT id FROM job_transitions WHERE effects_pending ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
   ), done AS (
     UPDATE job_transitions t SET effects_pending = false FROM picked WHERE t.id = picked.id
     RETURNING t.id, t.job_id, t.from_status, t.to_status, t.attempt, t.detail, t.at
   )
   SELECT ${jobColumns('j')}, d.id AS transition_id, d.from_status AS event_from, d.to_status AS event_to, d.attempt AS event_attempt,
          d.detail AS event_error, d.at AS event_at
   FROM done d JOIN jobs j ON j.id = d.job_id ORDER BY d.id`,
);

/** The outbox of job events is job_transitions itself: rows marked `effects_pending` by the moving statement. */
@Injectable()
export class JobEventOutboxRepository {
  constructor(private readonly db: DataSource) {}

  /** Runs `work` in a transaction with up to `limit` pending events, marked done when it commits. */
  async withPending<T>(limit: number, work: (events: JobEvent[], tx: JobEventTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const rows = await TAKE_PENDING.rows(tx, [limit]);
      return work(rows.map(toJobEvent), tx);
    });
  }
}

function toJobEvent(row: JobRow): JobEvent {
  return {
    transitionId: String(row.transition_id),
    from: (row.event_from as JobStatus | null) ?? null,
    to: row.event_to as JobStatus,
    attempt: row.event_attempt as number,
    at: rowDate(row.event_at),
    error: (row.event_error as JobError | null) ?? null,
    job: toJob(row),
  };
}
