import { waitFor } from '../../support/wait-for.js';
import { ChaosCluster, LEASE_MS } from '../support/cluster.js';
import { judgeExactlyOnce, ledgerOf } from '../support/ledger.js';
import { sleepJob, submitJob } from '../support/load.js';
import type { ChaosScenario } from '../support/scenario.js';

const STALE_COUNTER = 'longhaul_stale_attempts_total';
/** Long enough that the second attempt has completed while the first still sleeps (frozen). */
const JOB_MS = 3 * LEASE_MS;
/** The resumed attempt's timer is overdue, so it tries to complete at once; this bounds the wait for its refusal. */
const STALE_WAIT_MS = 15_000;

/** Everything a stale attempt could have written: the job row, its history, its result and the audit trail. */
async function snapshot(cluster: ChaosCluster, jobId: string): Promise<unknown> {
  const [job] = await cluster.db.query(`SELECT to_jsonb(j) AS row FROM jobs j WHERE id = $1`, [jobId]);
  const transitions = await cluster.db.query(`SELECT id, from_status, to_status, attempt, reason FROM job_transitions WHERE job_id = $1 ORDER BY id`, [jobId]);
  const results = await cluster.db.query(`SELECT attempt, content_type, encode(body, 'escape') AS body FROM job_results WHERE job_id = $1`, [jobId]);
  const writes = await cluster.db.query(`SELECT op, attempt FROM chaos_result_writes WHERE job_id = $1 ORDER BY id`, [jobId]);
  const completions = await cluster.db.query(`SELECT old_status, new_attempts, result_changed FROM chaos_completions WHERE job_id = $1 ORDER BY id`, [jobId]);
  return { job, transitions, results, writes, completions };
}

export const frozenWorker: ChaosScenario = {
  name: 'frozen-worker',
  title: 'a worker frozen (SIGSTOP) past its lease, then resumed: the stale attempt writes nothing; one COMPLETED',
  timeoutMs: () => 180_000,
  async run(infra, _scale, figures) {
    const cluster = await ChaosCluster.create(infra, 'freeze');
    try {
      const [api] = await cluster.startAll([
        { name: 'api', role: 'api' },
        { name: 'worker-a', role: 'worker' },
        { name: 'worker-b', role: 'worker' },
      ]);
      const answer = await submitJob(api.baseUrl, sleepJob(JOB_MS, {}, { steps: 1, ignoreAbort: true }));
      expect(answer.status).toBe(202);
      const jobId = answer.jobId as string;

      const first = await waitFor(
        async () => {
          const [row] = await cluster.db.query<{ status: string; locked_by: string | null; attempts: number }>(
            `SELECT status, locked_by, attempts FROM jobs WHERE id = $1`,
            [jobId],
          );
          const holder = row?.status === 'RUNNING' ? cluster.holderOf(row.locked_by) : undefined;
          return holder ? { holder, attempt: row.attempts } : false;
        },
        { timeoutMs: 30_000, what: `job ${jobId} to be RUNNING on a worker` },
      );
      const frozenAt = Date.now();
      first.holder.freeze();
      figures({ frozenWorker: first.holder.name, staleAttempt: first.attempt, jobMs: JOB_MS, leaseMs: LEASE_MS });

      const completed = await waitFor(
        async () => {
          const [row] = await cluster.db.query<{ attempt: number }>(
            `SELECT attempt FROM job_transitions WHERE job_id = $1 AND to_status = 'COMPLETED' ORDER BY id LIMIT 1`,
            [jobId],
          );
          return row ?? false;
        },
        {
          timeoutMs: 60_000,
          what: `job ${jobId} to complete on another worker while ${first.holder.name} is frozen`,
        },
      ).catch(async (error: Error) => {
        const history = await cluster.db.query(`SELECT from_status, to_status, attempt, reason FROM job_transitions WHERE job_id = $1 ORDER BY id`, [jobId]);
        throw new Error(`${error.message}; history ${JSON.stringify(history)}`);
      });
      figures({ completedByAttempt: completed.attempt, frozenSeconds: Math.round((Date.now() - frozenAt) / 100) / 10 });
      expect(completed.attempt).not.toBe(first.attempt);

      const before = await snapshot(cluster, jobId);
      first.holder.resume();
      // The resumed attempt finishes its sleep at once (its timer is overdue) and tries to complete;
      // the core refuses it and counts it. Waiting is bounded: without that counter we still compare.
      const refused = await waitFor(async () => (await first.holder.metric(STALE_COUNTER)) >= 1, {
        timeoutMs: STALE_WAIT_MS,
        intervalMs: 200,
        what: `${STALE_COUNTER} >= 1 on the resumed worker`,
      }).catch(() => false);
      const after = await snapshot(cluster, jobId);
      const staleCount = first.holder.alive ? await first.holder.metric(STALE_COUNTER) : -1;
      const verdict = judgeExactlyOnce([jobId], await ledgerOf(cluster.db, [jobId]));
      figures({
        staleAttemptsCounted: staleCount,
        staleCounterDeclared: first.holder.alive ? await first.holder.declaresMetric(STALE_COUNTER) : false,
        resumedWorkerAlive: first.holder.alive,
        stateChangedAfterResume: JSON.stringify(after) !== JSON.stringify(before),
        completedTwice: verdict.completedTwice,
        resultOverwrites: verdict.resultOverwrites,
      });

      expect({ changedByTheStaleAttempt: after }).toEqual({ changedByTheStaleAttempt: before });
      expect(verdict.violations).toEqual([]);
      expect(first.holder.alive).toBe(true);
      if (!refused) {
        throw new Error(
          `the resumed worker ${first.holder.name} never counted its refused stale attempt: ${STALE_COUNTER} = ${staleCount} ` +
            `after ${STALE_WAIT_MS / 1000} s (declared on /metrics: ${String(await first.holder.declaresMetric(STALE_COUNTER))}); ` +
            'the stale attempt either never tried to complete or its refusal is not counted',
        );
      }
    } finally {
      await cluster.close();
    }
  },
};
