import { waitFor } from '../../support/wait-for.js';
import { expectExactlyOnce, verdictFigures } from '../support/assertions.js';
import { ChaosCluster, LEASE_MS } from '../support/cluster.js';
import { judgeExactlyOnce, ledgerOf } from '../support/ledger.js';
import { sleepJob, submitAll, submitJob, tally, type Answer } from '../support/load.js';
import { probe, type Probe } from '../support/probe.js';
import { between, type ChaosScenario } from '../support/scenario.js';
import { settle } from '../support/settle.js';

/** An API answer during the database outage must come back within this. */
export const OUTAGE_ANSWER_BOUND_MS = 5000;
/** The database stays down at least this long (past a lease), probed throughout. */
const OUTAGE_MS = 3 * LEASE_MS;
/** Spacing of probe rounds during the outage: load pacing, not a wait for any state. */
const PROBE_ROUND_MS = 500;
/** After the database is back, the same processes must accept jobs again within this. */
const RECOVERY_BOUND_MS = 30_000;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

function badProbe(answer: Probe): string | null {
  const problems: string[] = [];
  if (answer.status !== 503) problems.push(answer.status === 0 ? 'no answer' : `status ${answer.status}`);
  const retryAfter = answer.retryAfter ?? '';
  // RFC 9110: delay-seconds or an HTTP-date.
  if (!/^\d+$/.test(retryAfter) && Number.isNaN(Date.parse(retryAfter))) problems.push(`Retry-After ${JSON.stringify(answer.retryAfter)}`);
  if (answer.ms > OUTAGE_ANSWER_BOUND_MS) problems.push(`took ${answer.ms} ms`);
  return problems.length ? `${answer.request}: ${problems.join(', ')}` : null;
}

export const postgresRestart: ChaosScenario = {
  name: 'postgres-restart',
  title: `PostgreSQL restart under load: 503 + Retry-After within ${OUTAGE_ANSWER_BOUND_MS} ms during the outage, recovery without an app restart, 0 stuck`,
  timeoutMs: () => 300_000,
  async run(infra, scale, figures) {
    const { jobs, probes } = scale.postgresRestart;
    const cluster = await ChaosCluster.create(infra, 'pg');
    const bodies = () => Array.from({ length: Math.ceil(jobs / 2) }, () => sleepJob(between([1000, 3000]), {}, { steps: 4 }));
    try {
      const apps = await cluster.startAll([
        { name: 'api', role: 'api' },
        { name: 'worker0', role: 'worker' },
        { name: 'worker1', role: 'worker' },
      ]);
      const api = apps[0];
      const before = await submitAll(api.baseUrl, bodies(), 8);
      const known = before.accepted[0];
      await waitFor(async () => (await cluster.db.query(`SELECT 1 FROM jobs WHERE status = 'RUNNING' LIMIT 1`)).length > 0, {
        timeoutMs: 30_000,
        what: 'a running job before the outage',
      });

      const down = Date.now();
      await infra.postgres.stop();
      const outage: Probe[] = [];
      while (outage.length < probes || Date.now() - down < OUTAGE_MS) {
        const round = Promise.all([
          probe(api.baseUrl, 'POST', '/jobs', sleepJob(100)),
          probe(api.baseUrl, 'GET', `/jobs/${known}`),
          probe(api.baseUrl, 'GET', '/jobs?limit=5'),
        ]);
        const [answers] = await Promise.all([round, new Promise((paced) => setTimeout(paced, PROBE_ROUND_MS))]);
        outage.push(...answers);
      }
      await infra.postgres.start();
      const back = Date.now();
      figures({ outageSeconds: seconds(back - down), outageProbes: outage.length, outageStatuses: tally(outage).byStatus, slowestOutageAnswerMs: Math.max(...outage.map((p) => p.ms)) });

      const recoveryAnswers: Answer[] = [];
      const recovered = await waitFor(
        async () => {
          const answer = await submitJob(api.baseUrl, sleepJob(100), 5000);
          recoveryAnswers.push(answer);
          return answer.status === 202;
        },
        { timeoutMs: RECOVERY_BOUND_MS, intervalMs: 250, what: () => `POST /jobs to answer 202 after the restart (last: ${JSON.stringify(recoveryAnswers.at(-1))})` },
      ).catch((error: Error) => error);
      const exited = apps.filter((app) => !app.alive).map((app) => `${app.name} exited ${JSON.stringify(app.exitInfo)}`);
      figures({ recoverySeconds: seconds(Date.now() - back), recovered: recovered === true, appsExited: exited.length });

      const after = await submitAll(api.baseUrl, bodies(), 8);
      const submitted = tally([...before.answers, ...recoveryAnswers, ...after.answers]);
      const settled = await settle(cluster.db, submitted.accepted, { timeoutMs: 180_000, stallMs: 30_000 });
      const verdict = judgeExactlyOnce(submitted.accepted, await ledgerOf(cluster.db, submitted.accepted));
      figures({ ...verdictFigures(verdict), settleSeconds: settled.seconds, settled: settled.settled });

      const bad: Record<string, number> = {};
      for (const problem of outage.map(badProbe)) if (problem) bad[problem] = (bad[problem] ?? 0) + 1;
      expect({ badOutageAnswers: bad }).toEqual({ badOutageAnswers: {} });
      expect({ exitedDuringOutage: exited }).toEqual({ exitedDuringOutage: [] });
      if (recovered !== true) throw recovered;
      expectExactlyOnce(verdict);
    } finally {
      await infra.postgres.start().catch(() => undefined);
      await cluster.close();
    }
  },
};
