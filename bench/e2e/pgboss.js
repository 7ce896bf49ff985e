import { resolve } from 'node:path';
import PgBoss from 'pg-boss';
import { forkHelper } from './children.js';
import { epochMs, latencyStats, log, mapLimit, oneAtATime, waitFor } from './util.js';

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
 * pg-boss 10 on the same PostgreSQL, own schema. The worker child runs `workers` work() loops fetching
 * `batch` jobs each (at most workers x batch in flight); the producer sends from this process.
 */
export async function benchPgBoss(infra, db, names, plan, { workers, batch, queue, measureLatency }) {
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
    },
    `pg-boss worker (${workers}x${batch})`,
  );
  const send = async () => {
    const sentAt = epochMs();
    const id = await producer.send(queue, {});
    if (!id) throw new Error('pg-boss send returned no id');
    return { id, sentAt };
  };
  try {
    const warmup = Math.min(plan.warmupJobs, 20);
    log(`pg-boss ${workers}x${batch}: warm-up ${warmup} jobs`);
    await mapLimit(warmup, 8, send);
    await waitCompleted(db, names.pgbossSchema, queue, warmup, 60_000, 'pg-boss warm-up');

    log(`pg-boss ${workers}x${batch}: ${plan.jobs} jobs, ${plan.httpConcurrency} concurrent sends`);
    const started = performance.now();
    await mapLimit(plan.jobs, plan.httpConcurrency, send);
    await waitCompleted(db, names.pgbossSchema, queue, warmup + plan.jobs, plan.timeoutMs, 'pg-boss throughput');
    const elapsedMs = performance.now() - started;
    const result = { jobs: plan.jobs, elapsedMs, rate: (plan.jobs / elapsedMs) * 1000, latency: null };

    if (measureLatency) {
      log(`pg-boss ${workers}x${batch}: latency, ${plan.latencyJobs} jobs one at a time`);
      const submitted = await oneAtATime(plan.latencyJobs, send, async (job) => {
        const { rows } = await db.query(`SELECT state FROM "${names.pgbossSchema}".job WHERE name = $1 AND id = $2`, [queue, job.id]);
        if (rows[0]?.state === 'failed') throw new Error(`pg-boss job ${job.id} failed`);
        return rows[0]?.state === 'completed';
      }, { randomGapMs: 500 });
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
