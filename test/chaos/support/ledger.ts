import type { ScenarioDb } from './scenario-db.js';

/** Everything the database says about how one job finished (needs installAudit before the job ran). */
export interface LedgerRow {
  id: string;
  status: string;
  attempts: number;
  completedTransitions: number;
  completedAttempt: number | null;
  completionMoves: number;
  completedRowRewrites: number;
  resultInserts: number;
  resultRewrites: number;
  storedAttempt: number | null;
  body: string | null;
}

export async function ledgerOf(db: ScenarioDb, ids: readonly string[]): Promise<LedgerRow[]> {
  return db.query<LedgerRow>(
    `SELECT j.id, j.status, j.attempts,
       (SELECT count(*)::int FROM job_transitions t WHERE t.job_id = j.id AND t.to_status = 'COMPLETED') AS "completedTransitions",
       (SELECT max(t.attempt) FROM job_transitions t WHERE t.job_id = j.id AND t.to_status = 'COMPLETED') AS "completedAttempt",
       (SELECT count(*)::int FROM chaos_completions c WHERE c.job_id = j.id AND c.old_status <> 'COMPLETED') AS "completionMoves",
       (SELECT count(*)::int FROM chaos_completions c WHERE c.job_id = j.id AND c.old_status = 'COMPLETED') AS "completedRowRewrites",
       (SELECT count(*)::int FROM chaos_result_writes w WHERE w.job_id = j.id AND w.op = 'INSERT') AS "resultInserts",
       (SELECT count(*)::int FROM chaos_result_writes w WHERE w.job_id = j.id AND w.op <> 'INSERT') AS "resultRewrites",
       r.attempt AS "storedAttempt",
       convert_from(r.body, 'UTF8') AS body
     FROM jobs j LEFT JOIN job_results r ON r.job_id = j.id
     WHERE j.id = ANY($1::uuid[])`,
    [ids],
  );
}

export interface ExactlyOnceVerdict {
  accepted: number;
  completed: number;
  /** Accepted jobs that are not COMPLETED (missing rows count too). */
  lost: number;
  statuses: Record<string, number>;
  completedTwice: number;
  resultWrites: number;
  resultOverwrites: number;
  /** Results whose attempt (column or body) is not the attempt that completed the job. */
  resultFromWrongAttempt: number;
  /** The first violations, one readable line each. */
  violations: string[];
}

function bodyOf(row: LedgerRow): { jobId?: string; attempt?: number } | null {
  try {
    return row.body === null ? null : (JSON.parse(row.body) as { jobId?: string; attempt?: number });
  } catch {
    return null;
  }
}

/**
 * Judges "0 lost, 0 completed twice, each result written once": exactly one COMPLETED transition and
 * one committed move into COMPLETED per job, the COMPLETED row never rewritten, exactly one committed
 * result insert and no update or delete, and the stored result (column and body) from the completing
 * attempt. A second completion or a result overwrite fails it even when the final row looks right.
 */
export function judgeExactlyOnce(ids: readonly string[], rows: readonly LedgerRow[]): ExactlyOnceVerdict {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const verdict: ExactlyOnceVerdict = {
    accepted: ids.length,
    completed: 0,
    lost: 0,
    statuses: {},
    completedTwice: 0,
    resultWrites: 0,
    resultOverwrites: 0,
    resultFromWrongAttempt: 0,
    violations: [],
  };
  const violation = (line: string) => {
    if (verdict.violations.length < 25) verdict.violations.push(line);
  };
  for (const id of ids) {
    const row = byId.get(id);
    const status = row?.status ?? 'MISSING';
    verdict.statuses[status] = (verdict.statuses[status] ?? 0) + 1;
    if (!row || status !== 'COMPLETED') {
      verdict.lost += 1;
      violation(`job ${id} is ${status} (attempts ${row?.attempts ?? '-'}), not COMPLETED`);
      continue;
    }
    verdict.completed += 1;
    verdict.resultWrites += row.resultInserts + row.resultRewrites;
    if (row.completedTransitions !== 1 || row.completionMoves !== 1 || row.completedRowRewrites > 0) {
      verdict.completedTwice += 1;
      violation(
        `job ${id} completed more than once: ${row.completedTransitions} COMPLETED transitions, ` +
          `${row.completionMoves} moves into COMPLETED, ${row.completedRowRewrites} rewrites of the COMPLETED row`,
      );
    }
    if (row.resultInserts !== 1 || row.resultRewrites > 0) {
      verdict.resultOverwrites += 1;
      violation(`result of job ${id} written ${row.resultInserts} time(s) plus ${row.resultRewrites} update/delete(s), expected exactly one insert`);
    }
    const body = bodyOf(row);
    if (row.storedAttempt !== row.completedAttempt || body?.attempt !== row.completedAttempt || body?.jobId !== id) {
      verdict.resultFromWrongAttempt += 1;
      violation(
        `job ${id} completed by attempt ${row.completedAttempt} but its stored result says job_results.attempt=${row.storedAttempt}, ` +
          `body ${row.body?.slice(0, 200) ?? 'none'}`,
      );
    }
  }
  return verdict;
}
