import { verdictFigures } from '../support/assertions.js';
import type { ChaosApp } from '../support/chaos-app.js';
import { ChaosCluster } from '../support/cluster.js';
import { measureSkew, skewedClockEnv } from '../support/faketime.js';
import { judgeExactlyOnce, ledgerOf } from '../support/ledger.js';
import { sleepJob, submitJob, type Answer } from '../support/load.js';
import type { ChaosScenario } from '../support/scenario.js';
import { settle } from '../support/settle.js';

const SKEW_SECONDS = 5;

interface Planned {
  answer: Answer;
  via: string;
  kind: 'now' | 'delaySeconds' | 'runAt';
  /** Earliest instant (real clock = the database's) the job may start; null for immediate jobs. */
  notBefore: number | null;
}

/** Immediate, `delaySeconds` and `runAt` jobs through one API node, in turn. */
async function submitThrough(api: ChaosApp, count: number): Promise<Planned[]> {
  const planned: Planned[] = [];
  for (let i = 0; i < count; i++) {
    const kind = (['now', 'delaySeconds', 'runAt'] as const)[i % 3];
    const sentAt = Date.now();
    const runAt = sentAt + 3000;
    const extra = kind === 'delaySeconds' ? { delaySeconds: 2 } : kind === 'runAt' ? { runAt: new Date(runAt).toISOString() } : {};
    const answer = await submitJob(api.baseUrl, sleepJob(200, extra));
    planned.push({ answer, via: api.name, kind, notBefore: kind === 'delaySeconds' ? sentAt + 2000 : kind === 'runAt' ? runAt : null });
  }
  return planned;
}

/** The node's wall clock minus ours, from its HTTP Date header (1 s resolution). */
async function clockOffsetMs(api: ChaosApp): Promise<number> {
  const response = await fetch(`${api.baseUrl}/health/live`);
  return Date.parse(response.headers.get('date') ?? '') - Date.now();
}

export const clockSkew: ChaosScenario = {
  name: 'clock-skew',
  title: `API nodes ±${SKEW_SECONDS} s off the database clock (libfaketime): every job runs, none starts before its runAt`,
  timeoutMs: () => 180_000,
  async run(infra, scale, figures) {
    const ahead = await skewedClockEnv(SKEW_SECONDS);
    const behind = await skewedClockEnv(-SKEW_SECONDS);
    const [aheadCheck, behindCheck] = await Promise.all([measureSkew(ahead), measureSkew(behind)]);
    figures({ faketimeAheadOffsetMs: aheadCheck.offsetMs, faketimeBehindOffsetMs: behindCheck.offsetMs, faketimeAdvancedMs: aheadCheck.advancedMs });
    expect(Math.abs(aheadCheck.offsetMs - SKEW_SECONDS * 1000)).toBeLessThan(1000);
    expect(Math.abs(behindCheck.offsetMs + SKEW_SECONDS * 1000)).toBeLessThan(1000);
    expect(aheadCheck.advancedMs).toBeGreaterThanOrEqual(250);

    const cluster = await ChaosCluster.create(infra, 'clock');
    try {
      const [apiAhead, apiBehind] = await cluster.startAll([
        { name: 'api-ahead', role: 'api', env: ahead },
        { name: 'api-behind', role: 'api', env: behind },
        { name: 'worker0', role: 'worker' },
        { name: 'worker1', role: 'worker' },
      ]);
      const offsets = { ahead: await clockOffsetMs(apiAhead), behind: await clockOffsetMs(apiBehind) };
      figures({ apiAheadClockOffsetMs: offsets.ahead, apiBehindClockOffsetMs: offsets.behind });
      expect(Math.abs(offsets.ahead - SKEW_SECONDS * 1000)).toBeLessThanOrEqual(1500);
      expect(Math.abs(offsets.behind + SKEW_SECONDS * 1000)).toBeLessThanOrEqual(1500);

      const planned = [...(await submitThrough(apiAhead, scale.clockSkew.jobs)), ...(await submitThrough(apiBehind, scale.clockSkew.jobs))];
      const ids = planned.flatMap((plan) => (plan.answer.jobId ? [plan.answer.jobId] : []));
      const settled = await settle(cluster.db, ids, { timeoutMs: 90_000, stallMs: 15_000 });
      const starts = await cluster.db.query<{ job_id: string; started: number }>(
        `SELECT job_id, (extract(epoch FROM min(at)) * 1000)::float8 AS started
         FROM job_transitions WHERE to_status = 'RUNNING' AND job_id = ANY($1::uuid[]) GROUP BY job_id`,
        [ids],
      );
      const startedAt = new Map(starts.map((row) => [row.job_id, row.started]));
      const early = planned
        .filter((plan) => plan.answer.jobId && plan.notBefore !== null && (startedAt.get(plan.answer.jobId) ?? Infinity) < plan.notBefore)
        .map((plan) => `${plan.kind} job via ${plan.via} started ${Math.round(plan.notBefore! - startedAt.get(plan.answer.jobId!)!)} ms early`);
      const notRun: Record<string, number> = {};
      for (const plan of planned) {
        if (plan.answer.jobId && !startedAt.has(plan.answer.jobId)) notRun[`${plan.kind} via ${plan.via}`] = (notRun[`${plan.kind} via ${plan.via}`] ?? 0) + 1;
      }
      const verdict = judgeExactlyOnce(ids, await ledgerOf(cluster.db, ids));
      figures({ ...verdictFigures(verdict), neverStarted: Object.values(notRun).reduce((sum, n) => sum + n, 0), startedEarly: early.length, settleSeconds: settled.seconds });

      expect(planned.map((plan) => plan.answer.status)).toEqual(planned.map(() => 202));
      expect({ neverStarted: notRun, startedEarly: early, statuses: verdict.statuses }).toEqual({
        neverStarted: {},
        startedEarly: [],
        statuses: { COMPLETED: ids.length },
      });
    } finally {
      await cluster.close();
    }
  },
};
