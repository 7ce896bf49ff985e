/** One attempt of a job as the operator sees it, built from the job's history rows. */
export interface AttemptRecord {
  attempt: number;
  worker: string | null;
  startedAt: Date;
  endedAt: Date | null;
  /** The status the attempt ended in (FAILED, DEAD, COMPLETED, CANCELLED), or null while it runs. */
  outcome: string | null;
  error: string | null;
  stack: string | null;
}

export interface HistoryRow {
  from: string | null;
  to: string;
  attempt: number;
  reason: string | null;
  at: Date;
  diagnostics: { worker?: string; stack?: string } | null;
}

/** Each RUNNING row opens an attempt; the next move out of RUNNING of the same attempt closes it. */
export function attemptsOf(rows: readonly HistoryRow[]): AttemptRecord[] {
  const attempts: AttemptRecord[] = [];
  for (const row of rows) {
    if (row.to === 'RUNNING') {
      attempts.push({ attempt: row.attempt, worker: row.diagnostics?.worker ?? null, startedAt: row.at, endedAt: null, outcome: null, error: null, stack: null });
      continue;
    }
    const open = attempts.at(-1);
    if (row.from !== 'RUNNING' || !open || open.attempt !== row.attempt || open.endedAt) continue;
    open.endedAt = row.at;
    open.outcome = row.to;
    open.error = row.to === 'COMPLETED' ? null : row.reason;
    open.stack = row.diagnostics?.stack ?? null;
    open.worker ??= row.diagnostics?.worker ?? null;
  }
  return attempts;
}
