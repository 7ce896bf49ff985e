import { waitFor } from '../../support/wait-for.js';
import { expectExactlyOnce, verdictFigures } from '../support/assertions.js';
import type { ChaosApp } from '../support/chaos-app.js';
import { ChaosCluster } from '../support/cluster.js';
import { judgeExactlyOnce, ledgerOf } from '../support/ledger.js';
import { sleepJob, submitAll } from '../support/load.js';
import { between, type ChaosScenario } from '../support/scenario.js';
import { settle } from '../support/settle.js';

/** Running jobs per worker pid, from the lease holder column. */
async function runningByPid(cluster: ChaosCluster): Promise<Map<number, number>> {
  const rows = await cluster.db.query<{ locked_by: string; n: number }>(
    `SELECT locked_by, count(*)::int AS n FROM jobs WHERE status = 'RUNNING' AND locked_by IS NOT NULL GROUP BY locked_by`,
  );
  return new Map(rows.map((row) => [Number(row.locked_by.split(':').at(-2)), row.n]));
}

export const workerKills: ChaosScenario = {
  name: 'worker-kills',
  title: 'SIGKILLs of random workers while jobs run: 0 lost, 0 completed twice, each result written once',
  timeoutMs: (scale) => 120_000 + scale.workerKills.jobs * 300,
  async run(infra, scale, figures) {
    const { jobs, kills, workers: workerCount, jobMs } = scale.workerKills;
    const cluster = await ChaosCluster.create(infra, 'kills');
    try {
      const [api] = await cluster.startAll([{ name: 'api', role: 'api' }]);
      let workers: ChaosApp[] = await cluster.startAll(Array.from({ length: workerCount }, (_, i) => ({ name: `worker${i}`, role: 'worker' as const })));
      const restarts: Array<Promise<unknown>> = [];

      const submitted = await submitAll(api.baseUrl, Array.from({ length: jobs }, () => sleepJob(between(jobMs))), 16);
      figures({ jobs, submittedByStatus: submitted.byStatus });
      expect(submitted.byStatus).toEqual({ 202: jobs });

      // Each kill hits a worker that holds at least one running job, while at least one other worker is up.
      let done = 0;
      let heldAtKill = 0;
      while (done < kills) {
        const victim = await waitFor(
          async () => {
            const running = await runningByPid(cluster);
            const live = workers.filter((worker) => worker.alive);
            const holding = live.filter((worker) => (running.get(worker.pid) ?? 0) > 0);
            if (live.length < 2 || holding.length === 0) return false;
            const chosen = holding[Math.floor(Math.random() * holding.length)];
            return { worker: chosen, held: running.get(chosen.pid) ?? 0 };
          },
          { timeoutMs: 60_000, intervalMs: 100, what: () => `a second live worker and a worker holding a running job, for kill ${done + 1} of ${kills}` },
        );
        await victim.worker.kill();
        done += 1;
        heldAtKill += victim.held;
        const replacement = cluster.start(`worker-r${done}`, 'worker').then((app) => {
          workers = [...workers.filter((worker) => worker !== victim.worker), app];
        });
        restarts.push(replacement);
      }
      await Promise.all(restarts);
      figures({ kills: done, runningJobsHeldByKilledWorkers: heldAtKill });

      const settled = await settle(cluster.db, submitted.accepted, { timeoutMs: 240_000, stallMs: 30_000 });
      const verdict = judgeExactlyOnce(submitted.accepted, await ledgerOf(cluster.db, submitted.accepted));
      const [{ interrupted }] = await cluster.db.query<{ interrupted: number }>(
        `SELECT count(*)::int AS interrupted FROM job_transitions WHERE job_id = ANY($1::uuid[]) AND to_status = 'RUNNING' AND attempt > 1`,
        [submitted.accepted],
      );
      figures({ ...verdictFigures(verdict), reRunAttempts: interrupted, settleSeconds: settled.seconds, settled: settled.settled });
      expect(done).toBeGreaterThanOrEqual(kills);
      expectExactlyOnce(verdict);
    } finally {
      await cluster.close();
    }
  },
};
