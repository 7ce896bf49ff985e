import { waitFor } from '../../support/wait-for.js';
import type { ScenarioDb } from './scenario-db.js';

const TERMINAL = ['COMPLETED', 'DEAD', 'CANCELLED'];

export interface Settled {
  /** Jobs per status when every job was terminal, or when nothing moved any more. */
  statuses: Record<string, number>;
  settled: boolean;
  seconds: number;
}

export async function statusesOf(db: ScenarioDb, ids: readonly string[]): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM jobs WHERE id = ANY($1::uuid[]) GROUP BY status`,
    [ids],
  );
  const statuses: Record<string, number> = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  const found = rows.reduce((sum, row) => sum + row.n, 0);
  if (found < ids.length) statuses.MISSING = ids.length - found;
  return statuses;
}

/**
 * Polls until every job is terminal, or until nothing has moved for `stallMs` (a stranded job never
 * moves again; waiting longer only makes the failure slower). The caller asserts on the statuses it
 * returns, so a failure names where the jobs were left.
 */
export async function settle(db: ScenarioDb, ids: readonly string[], options: { timeoutMs: number; stallMs: number }): Promise<Settled> {
  const started = Date.now();
  let last = '';
  let lastChange = Date.now();
  return waitFor(
    async () => {
      const statuses = await statusesOf(db, ids);
      const seconds = (Date.now() - started) / 1000;
      if (Object.keys(statuses).every((status) => TERMINAL.includes(status))) return { statuses, settled: true, seconds };
      const key = JSON.stringify(statuses);
      if (key !== last) {
        last = key;
        lastChange = Date.now();
      }
      return Date.now() - lastChange > options.stallMs ? { statuses, settled: false, seconds } : false;
    },
    { timeoutMs: options.timeoutMs, intervalMs: 250, what: () => `${ids.length} jobs to finish (last statuses ${last})` },
  );
}
