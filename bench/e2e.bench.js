// npm run bench:e2e — longhaul end to end on the distributed profile (HTTP → outbox → Kafka → worker →
// PostgreSQL) beside pg-boss on the same PostgreSQL, BullMQ on the same Redis and a raw kafkajs consume
// loop. Bounded: fixed job counts, every wait has a deadline, a watchdog ends the run; it removes the
// schemas, topics, consumer groups and Redis keys it created and stops every child it started.
//
// Needs the infrastructure of `npm run infra:up` (PostgreSQL, Redis, Kafka on 127.0.0.1) and a build (dist/).
// Knobs (env): BENCH_JOBS (2000), BENCH_HTTP_CONCURRENCY (32), BENCH_LATENCY_JOBS (200),
// BENCH_RAW_MESSAGES (20000), BENCH_PGBOSS_JOBS (300), BENCH_PGBOSS_TUNED (1: also run pg-boss with bigger batches, for information).
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import pg from 'pg';
import { benchBullMq } from './e2e/bullmq.js';
import { cleanUp } from './e2e/cleanup.js';
import { benchRawKafkaLoop } from './e2e/kafka-raw.js';
import { benchLonghaulEndToEnd, benchLonghaulWorkerHop } from './e2e/longhaul.js';
import { benchPgBoss } from './e2e/pgboss.js';
import { renderReport } from './e2e/report.js';
import { intEnv, log } from './e2e/util.js';

const WATCHDOG_MS = 12 * 60_000;

const infra = {
  kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  partitions: 6,
  workerConcurrency: 5, // longhaul's default WORKER_CONCURRENCY, the seed's concurrency = "5"
};

const plan = {
  jobs: intEnv('BENCH_JOBS', 2000),
  httpConcurrency: intEnv('BENCH_HTTP_CONCURRENCY', 32),
  warmupJobs: 50,
  latencyJobs: intEnv('BENCH_LATENCY_JOBS', 200), // submitted one at a time: no queueing delay
  rawMessages: intEnv('BENCH_RAW_MESSAGES', 20_000), // enough for several fetches: a 2,000-message backlog drains in ~20 ms
  timeoutMs: 180_000,
};
// pg-boss polls (0.5 s at the fastest) and fetches `batch` jobs per poll, so with 5 jobs in flight it
// tops out near 10 jobs/s and waits ~0.25 s per job: fewer jobs keep its phases short.
const pgbossPlan = { ...plan, jobs: intEnv('BENCH_PGBOSS_JOBS', 300), latencyJobs: 30 };
const runTuned = process.env.BENCH_PGBOSS_TUNED !== '0';

const runId = `lhb${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
const names = {
  runId,
  e2e: { schema: `${runId}_e2e`, topic: `${runId}-e2e`, group: `${runId}-e2e-workers`, redisPrefix: `${runId}:e2e:` },
  hop: { schema: `${runId}_hop`, topic: `${runId}-hop`, group: `${runId}-hop-workers`, redisPrefix: `${runId}:hop:` },
  rawTopic: `${runId}-raw`,
  rawGroup: `${runId}-raw-group`,
  pgbossSchema: `${runId}_pgboss`,
  bullQueue: `${runId}-noop`,
  bullPrefix: `${runId}-bull`,
};

async function main() {
  if (!existsSync('dist/main.js')) throw new Error('dist/main.js is missing: run `npm run build` (npm run bench:e2e does)');
  const db = new pg.Pool({ connectionString: infra.databaseUrl, max: 4 });
  let finished = false;
  const cleanupOnce = (() => {
    let done = null;
    return () => (done ??= cleanUp(infra, db, names).catch((error) => log(`clean-up failed: ${error.message}`)));
  })();
  const watchdog = setTimeout(async () => {
    if (finished) return;
    log(`watchdog: the run exceeded ${WATCHDOG_MS / 60_000} min; cleaning up and exiting`);
    await cleanupOnce();
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      log(`${signal}: cleaning up`);
      await cleanupOnce();
      process.exit(130);
    });
  }

  log(`run ${runId}: ${plan.jobs} jobs per system (pg-boss ${pgbossPlan.jobs}), worker concurrency ${infra.workerConcurrency}`);
  try {
    const raw = await benchRawKafkaLoop(infra, names, plan);
    const longhaul = await benchLonghaulEndToEnd(infra, db, names.e2e, plan);
    const hop = await benchLonghaulWorkerHop(infra, db, names.hop, plan);
    const bull = await benchBullMq(infra, names, plan);
    const boss = await benchPgBoss(infra, db, names, pgbossPlan, { workers: 5, batch: 1, queue: `${runId}-noop`, measureLatency: true });
    const bossTuned = runTuned
      ? await benchPgBoss(infra, db, names, plan, { workers: 5, batch: 50, queue: `${runId}-noop-tuned`, measureLatency: false })
      : null;
    finished = true;
    process.stdout.write(
      renderReport(
        { longhaul, hop, raw, bull, boss, bossTuned },
        {
          when: new Date().toISOString(),
          cpus: cpus().length,
          workerConcurrency: infra.workerConcurrency,
          pgbossEquivalent: '5 work() loops × batchSize 1, poll 0.5 s',
          pgbossTuned: '5 work() loops × batchSize 50',
          summary:
            `${plan.jobs} jobs (pg-boss ${pgbossPlan.jobs}), ${plan.httpConcurrency} concurrent submits, worker concurrency ` +
            `${infra.workerConcurrency}, ${infra.partitions} partitions; latency: ${plan.latencyJobs} jobs one at a time ` +
            `(pg-boss ${pgbossPlan.latencyJobs})`,
        },
      ),
    );
  } finally {
    finished = true;
    await cleanupOnce();
    await db.end();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
