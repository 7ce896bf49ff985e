import { waitFor } from '../../support/wait-for.js';
import { expectExactlyOnce, verdictFigures } from '../support/assertions.js';
import { ChaosCluster } from '../support/cluster.js';
import { judgeExactlyOnce, ledgerOf } from '../support/ledger.js';
import { sleepJob, submitAll, tally } from '../support/load.js';
import type { ChaosScenario } from '../support/scenario.js';
import { settle } from '../support/settle.js';

/** GET /jobs/{id} must still answer this fast with Redis gone (reads fall back to the row). */
const READ_BOUND_MS = 2000;

interface RowProgress {
  id: string;
  progress_percent: number;
}

export const redisDown: ChaosScenario = {
  name: 'redis-down',
  title: 'Redis down: jobs still complete; GET /jobs/{id} answers progress from the job row',
  timeoutMs: () => 240_000,
  async run(infra, scale, figures) {
    const { jobs } = scale.redisDown;
    const cluster = await ChaosCluster.create(infra, 'redis');
    const bodies = () => Array.from({ length: Math.ceil(jobs / 2) }, () => sleepJob(4000, {}, { steps: 8 }));
    try {
      const apps = await cluster.startAll([
        { name: 'api', role: 'api', env: { PROGRESS_ROW_INTERVAL_MS: '200' } },
        { name: 'worker0', role: 'worker', env: { PROGRESS_ROW_INTERVAL_MS: '200' } },
        { name: 'worker1', role: 'worker', env: { PROGRESS_ROW_INTERVAL_MS: '200' } },
      ]);
      const api = apps[0];
      const before = await submitAll(api.baseUrl, bodies(), 8);
      await waitFor(async () => (await cluster.db.query(`SELECT 1 FROM jobs WHERE status = 'RUNNING' LIMIT 1`)).length > 0, {
        timeoutMs: 30_000,
        what: 'a running job before Redis goes down',
      });
      await infra.redis.kill();
      const during = await submitAll(api.baseUrl, bodies(), 8);

      // A running job with progress on its row: the API must answer it, quickly, from that row.
      const running = await waitFor(
        async () =>
          (
            await cluster.db.query<RowProgress>(
              `SELECT id, progress_percent FROM jobs WHERE status = 'RUNNING' AND progress_percent > 0 AND id = ANY($1::uuid[]) LIMIT 1`,
              [during.accepted],
            )
          )[0] ?? false,
        { timeoutMs: 30_000, what: 'a job submitted after Redis went down to run and report progress to its row' },
      );
      const started = Date.now();
      const response = await fetch(`${api.baseUrl}/jobs/${running.id}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) }).catch(() => null);
      const read = { status: response?.status ?? 0, ms: Date.now() - started };
      const view = response?.status === 200 ? ((await response.json()) as { progress?: { percent?: number } }) : null;
      const [rowAfter] = await cluster.db.query<RowProgress>(`SELECT id, progress_percent FROM jobs WHERE id = $1`, [running.id]);
      const percent = view?.progress?.percent ?? null;
      figures({ readStatus: read.status, readMs: read.ms, apiPercent: percent, rowPercentBefore: running.progress_percent, rowPercentAfter: rowAfter.progress_percent });

      const submitted = tally([...before.answers, ...during.answers]);
      const settled = await settle(cluster.db, submitted.accepted, { timeoutMs: 120_000, stallMs: 30_000 });
      const verdict = judgeExactlyOnce(submitted.accepted, await ledgerOf(cluster.db, submitted.accepted));
      const exited = apps.filter((app) => !app.alive).map((app) => `${app.name} exited ${JSON.stringify(app.exitInfo)}`);
      figures({ whileRedisDown: during.byStatus, ...verdictFigures(verdict), settleSeconds: settled.seconds, appsExited: exited.length });

      expect({ exitedWhileRedisDown: exited }).toEqual({ exitedWhileRedisDown: [] });
      expect(submitted.byStatus).toEqual({ 202: submitted.answers.length });
      expect({ status: read.status, withinBound: read.ms <= READ_BOUND_MS }).toEqual({ status: 200, withinBound: true });
      if (percent === null || percent < running.progress_percent || percent > rowAfter.progress_percent) {
        throw new Error(
          `GET /jobs/${running.id} with Redis down showed progress ${String(percent)}, but the job row said ` +
            `${running.progress_percent} just before and ${rowAfter.progress_percent} just after: the progress did not come from the row`,
        );
      }
      expectExactlyOnce(verdict);
    } finally {
      await infra.redis.start();
      await cluster.close();
    }
  },
};
