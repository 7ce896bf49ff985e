import { resolve } from 'node:path';
import PgBoss from 'pg-boss';
import { forkHelper } from '../support/processes.js';
import { epochMs, latencyStats, log, mapLimit, oneAtATime, timedThroughput, waitFor } from './util.js';

const POLL_SECONDS = 0.5; // the shortest polling interval pg-boss 10 accepts

/** "16x100" → {workers: 16, batch: 100}. */
export function parsePgBossSetting(text) {
  const match = /^(\d+)\s*[x×]\s*(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`a pg-boss setting is <work() loops>x<batch size>, e.g. 16x100 (got "${text}")`);
  return { workers: Number(match[1]), batch: Number(match[2]) };
}

export const describePgBossSetting = ({ workers, batch }) => `${workers} work() loops × batchSize ${batch}, poll ${POLL_SECONDS} s`;

async function completedCount(db, schema, queue) {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${schema}".job WHERE name = $1 AND state = 'completed'`, [queue]);
  return rows[0].n;
}

async function waitCompleted(db, schema, queue, expected, timeoutMs, label) {
  let seen = 0;
  await waitFor(
    async () => {
      seen = await completedCount(db, schema, queue);
      return seen >= expected;
    },
    { timeoutMs, intervalMs: 10, what: () => `${label}: ${expected} completed pg-boss jobs (now ${seen})` },
  );
}

/**
 * pg-boss 10 on the same PostgreSQL, own schema, one queue per setting. A worker child runs `workers`
 * work() loops fetching `batch` jobs each (at most workers × batch in flight); the producer sends from this
 * process at the same concurrency as longhaul's HTTP submits.
 *
 * Throughput: N sends, timed until all N are completed, or the time cap (timedThroughput: the rule every
 * system gets). Latency (`latencyJobs`, on its own queue and worker: no backlog ahead of it): jobs sent one
 * at a time with a random gap against the poll cycle.
 */
export async function benchPgBoss(infra, db, names, plan, { setting, queue, throughput = true, latencyJobs = 0 }) {
  const { workers, batch } = setting;
  const label = `pg-boss ${workers}x${batch}`;
  const producer = new PgBoss({ connectionString: infra.databaseUrl, schema: names.pgbossSchema, schedule: false, supervise: false });
  producer.on('error', (error) => log(`pg-boss producer error: ${error.message}`));
  await producer.start(); // creates the schema on first use
  await producer.createQueue(queue);
  const worker = await forkHelper(
    resolve('bench/e2e/pgboss-worker.js'),
    {
      BENCH_DATABASE_URL: infra.databaseUrl,
      BENCH_PGBOSS_SCHEMA: names.pgbossSchema,
      BENCH_PGBOSS_QUEUE: queue,
      BENCH_PGBOSS_WORKERS: String(workers),
      BENCH_PGBOSS_BATCH: String(batch),
      BENCH_PGBOSS_POLL_SECONDS: String(POLL_SECONDS),
    },
    `${label} worker`,
  );
  const send = async () => {
    const sentAt = epochMs();
    const id = await producer.send(queue, {});
    if (!id) throw new Error('pg-boss send returned no id');
    return { id, sentAt };
  };
  const result = { setting: { workers, batch, pollSeconds: POLL_SECONDS, producer: `send, ${plan.httpConcurrency} concurrent` } };
  try {
    const warmup = Math.min(plan.warmupJobs, 20);
    log(`${label}: warm-up ${warmup} jobs`);
    await mapLimit(warmup, 8, send);
    await waitCompleted(db, names.pgbossSchema, queue, warmup, 60_000, `${label} warm-up`);

    if (throughput) {
      log(`${label}: ${plan.jobs} jobs, ${plan.httpConcurrency} concurrent sends (at most ${plan.maxSeconds} s)`);
      Object.assign(
        result,
        await timedThroughput({
          jobs: plan.jobs,
          concurrency: plan.httpConcurrency,
          maxSeconds: plan.maxSeconds,
          submit: send,
          completed: async () => (await completedCount(db, names.pgbossSchema, queue)) - warmup,
        }),
      );
      log(`${label}: ${result.completed}/${plan.jobs} completed in ${(result.elapsedMs / 1000).toFixed(2)} s → ${result.rate.toFixed(1)} jobs/s${result.capped ? ' (time cap reached)' : ''}`);
    }

    if (latencyJobs > 0) {
      log(`${label}: latency, ${latencyJobs} jobs one at a time`);
      const submitted = await oneAtATime(
        latencyJobs,
        send,
        async (job) => {
          const { rows } = await db.query(`SELECT state FROM "${names.pgbossSchema}".job WHERE name = $1 AND id = $2`, [queue, job.id]);
          if (rows[0]?.state === 'failed') throw new Error(`pg-boss job ${job.id} failed`);
          return rows[0]?.state === 'completed';
        },
        { randomGapMs: POLL_SECONDS * 1000 },
      );
      const { rows } = await db.query(
        `SELECT id, extract(epoch FROM created_on) * 1000 AS created, extract(epoch FROM completed_on) * 1000 AS finished
         FROM "${names.pgbossSchema}".job WHERE name = $1 AND id = ANY($2::uuid[])`,
        [queue, submitted.map((job) => job.id)],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const table = submitted.map((job) => Number(byId.get(job.id).finished) - Number(byId.get(job.id).created));
      const client = submitted.map((job) => Number(byId.get(job.id).finished) - job.sentAt);
      result.latency = { table: latencyStats(table), client: latencyStats(client) };
    }
    return result;
  } finally {
    await worker.stop();
    await producer.stop({ graceful: false, wait: true });
  }
}
