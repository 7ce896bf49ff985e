import { assertTransition, isAnnounced } from './domain/job-state-machine.js';
import type { JobStatus } from './domain/job-status.js';
import { jobColumns } from './job-row.mapper.js';

export interface TransitionSpec {
  to: JobStatus;
  from: readonly JobStatus[];
  /** Extra row filter (SQL over `jobs`), ANDed with the status check. */
  where: string;
  /** Extra assignments for the UPDATE, e.g. `attempts = j.attempts + 1`. */
  set?: string;
  /** For batch claims: ORDER BY / LIMIT of the locked selection. */
  order?: string;
  limit?: string;
  skipLocked?: boolean;
  /** SQL expression stored as the history row's reason. */
  reason?: string;
  /** SQL expression (jsonb) stored as the history row's diagnostics: operators' eyes only (worker, trimmed stack). */
  diagnostics?: string;
  /**
   * A batch move: a SELECT producing one row per job (column `id` plus per-job values), available as
   * `input` to `where` and, joined on the job id as `i`, to `set`.
   */
  input?: string;
  /** For batch moves: which input row belongs to a moving job (default: the same id). */
  inputMatch?: string;
}

/** The moved rows' columns, named (the moves are prepared statements: see PreparedStatement). */
const RETURNED = jobColumns('j');

/**
 * Builds one statement that moves jobs from the expected statuses to `to`, records the move in
 * job_transitions and returns the moved rows (jobColumns) plus `previous_status`. The status check sits in a
 * locking SELECT, so of two concurrent callers only one can win a row.
 * NO KEY UPDATE (what the UPDATE itself takes) rather than UPDATE: a foreign-key check on a job row
 * (another table's insert referencing it) holds KEY SHARE, which must not make a claim skip the job.
 * A move into an announced state also marks its history row `effects_pending` (with the job's error
 * as `detail`): the transactional outbox from which webhooks and dead letters are relayed, written by
 * the very statement that makes the move.
 */
export function transitionSql(spec: TransitionSpec): string {
  for (const from of spec.from) assertTransition(from, spec.to);
  const statuses = spec.from.map((status) => `'${status}'`).join(', ');
  const assignments = [`status = '${spec.to}'`, 'updated_at = now()', spec.set].filter(Boolean);
  const announced = isAnnounced(spec.to);
  return `
    WITH ${spec.input ? `input AS (${spec.input}),` : ''} target AS (
      SELECT id, status AS previous_status FROM jobs
      WHERE status IN (${statuses}) AND (${spec.where})
      ${spec.order ? `ORDER BY ${spec.order}` : ''}
      ${spec.limit ? `LIMIT ${spec.limit}` : ''}
      FOR NO KEY UPDATE ${spec.skipLocked ? 'SKIP LOCKED' : ''}
    ), moved AS (
      UPDATE jobs j SET ${assignments.join(', ')}
      FROM target t ${spec.input ? 'JOIN input i ON i.id = t.id' : ''} WHERE j.id = t.id ${spec.inputMatch ? `AND ${spec.inputMatch}` : ''}
      RETURNING ${RETURNED}, t.previous_status
    ), history AS (
      INSERT INTO job_transitions (job_id, from_status, to_status, attempt, reason, detail, effects_pending, diagnostics)
      SELECT id, previous_status, status, attempts, ${spec.reason ?? 'NULL'}, ${announced ? 'last_error' : 'NULL'}, ${announced}, ${spec.diagnostics ?? 'NULL'}
      FROM moved
    )
    SELECT * FROM moved`;
}
