import { Pool as HttpPool } from 'undici';
import { startLonghaul } from './children.js';
import { epochMs, freePort, latencyStats, log, mapLimit, oneAtATime, waitFor } from './util.js';

const NOOP_JOB = JSON.stringify({ type: 'sleep', payload: {} });

/** Environment of one longhaul process on the distributed profile, isolated by `names`. */
export async function longhaulEnv(infra, names, role) {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers,
    DATABASE_URL: infra.databaseUrl,
    DATABASE_SCHEMA: names.schema,
    REDIS_URL: infra.redisUrl,
    KAFKA_TOPIC: names.topic,
    KAFKA_GROUP_ID: names.group,
    KAFKA_CLIENT_ID: names.topic,
    KAFKA_PARTITIONS: String(infra.partitions),
    PROGRESS_KEY_PREFIX: names.redisPrefix,
    WORKER_CONCURRENCY: String(infra.workerConcurrency),
    APP_ROLE: role,
    PORT: String(await freePort()),
  };
}

function httpClient(baseUrl, connections) {
  return new HttpPool(baseUrl, { connections, pipelining: 1 });
}

async function submit(http) {
  const sentAt = epochMs();
  const response = await http.request({ method: 'POST', path: '/jobs', headers: { 'content-type': 'application/json' }, body: NOOP_JOB });
  const body = await response.body.json();
  if (response.statusCode !== 202) throw new Error(`POST /jobs answered ${response.statusCode}: ${JSON.stringify(body)}`);
  return { id: body.jobId, sentAt };
}

async function statusCounts(db, schema) {
  const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM "${schema}".jobs GROUP BY status`);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** Polls the jobs table until `expected` jobs are COMPLETED; fails fast if any job goes DEAD or CANCELLED. */
async function waitCompleted(db, schema, expected, timeoutMs, label) {
  let counts = {};
  await waitFor(
    async () => {
      counts = await statusCounts(db, schema);
      if ((counts.DEAD ?? 0) + (counts.CANCELLED ?? 0) > 0) throw new Error(`${label}: jobs ended badly: ${JSON.stringify(counts)}`);
      return (counts.COMPLETED ?? 0) >= expected;
    },
    { timeoutMs, intervalMs: 10, what: () => `${label}: ${expected} COMPLETED jobs (now ${JSON.stringify(counts)})` },
  );
}

async function isCompleted(db, schema, id) {
  const { rows } = await db.query(`SELECT status FROM "${schema}".jobs WHERE id = $1`, [id]);
  const status = rows[0]?.status;
  if (status === 'DEAD' || status === 'CANCELLED') throw new Error(`job ${id} ended ${status}`);
  return status === 'COMPLETED';
}

/**
 * created_at → finished_at (database clock) and client send → finished_at (same host clock), in ms, plus where
 * the time goes: created → outbox record picked up by the relay (its transaction start), → claimed, → finished.
 */
async function latenciesOf(db, schema, submitted) {
  const { rows } = await db.query(
    `SELECT j.id, extract(epoch FROM j.created_at) * 1000 AS created, extract(epoch FROM o.sent_at) * 1000 AS relayed,
            extract(epoch FROM j.started_at) * 1000 AS claimed, extract(epoch FROM j.finished_at) * 1000 AS finished
     FROM "${schema}".jobs j JOIN "${schema}".job_outbox o ON o.message_key = j.id::text
     WHERE j.id = ANY($1::uuid[])`,
    [submitted.map((job) => job.id)],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const series = { table: [], client: [], relay: [], dispatch: [], run: [] };
  for (const job of submitted) {
    const row = byId.get(job.id);
    const [created, relayed, claimed, finished] = [row.created, row.relayed, row.claimed, row.finished].map(Number);
    series.table.push(finished - created);
    series.client.push(finished - job.sentAt);
    series.relay.push(relayed - created);
    series.dispatch.push(claimed - relayed);
    series.run.push(finished - claimed);
  }
  return Object.fromEntries(Object.entries(series).map(([name, values]) => [name, latencyStats(values)]));
}

/**
 * Phase 1: one APP_ROLE=all process. Warm up, then N jobs over HTTP with bounded concurrency (time until
 * all COMPLETED), then a low fixed-rate phase for submit → complete latency.
 */
export async function benchLonghaulEndToEnd(infra, db, names, plan) {
  const app = await startLonghaul(await longhaulEnv(infra, names, 'all'), 'longhaul (all)');
  const http = httpClient(app.baseUrl, plan.httpConcurrency);
  try {
    log(`longhaul e2e: warm-up ${plan.warmupJobs} jobs (includes the consumer group join)`);
    await mapLimit(plan.warmupJobs, 8, () => submit(http));
    await waitCompleted(db, names.schema, plan.warmupJobs, 60_000, 'longhaul warm-up');

    log(`longhaul e2e: ${plan.jobs} jobs, ${plan.httpConcurrency} concurrent submits`);
    const before = plan.warmupJobs;
    const started = performance.now();
    await mapLimit(plan.jobs, plan.httpConcurrency, () => submit(http));
    const submittedMs = performance.now() - started;
    await waitCompleted(db, names.schema, before + plan.jobs, plan.timeoutMs, 'longhaul throughput');
    const elapsedMs = performance.now() - started;

    log(`longhaul e2e: latency, ${plan.latencyJobs} jobs one at a time`);
    const submitted = await oneAtATime(plan.latencyJobs, () => submit(http), (job) => isCompleted(db, names.schema, job.id));
    const latency = await latenciesOf(db, names.schema, submitted);
    return { jobs: plan.jobs, elapsedMs, submitRate: (plan.jobs / submittedMs) * 1000, rate: (plan.jobs / elapsedMs) * 1000, latency };
  } finally {
    await http.close();
    const code = await app.stop();
    if (code !== 0) log(`longhaul (all) exited with ${code}; last logs:\n${app.logs().slice(-2000)}`);
  }
}

/**
 * Phase 4b, longhaul's worker hop: an APP_ROLE=api process accepts and publishes N jobs (nobody consumes),
 * stops; then an APP_ROLE=worker process drains the topic. Rate = N / (first claim → last completion).
 */
export async function benchLonghaulWorkerHop(infra, db, names, plan) {
  const api = await startLonghaul(await longhaulEnv(infra, names, 'api'), 'longhaul (api)');
  const http = httpClient(api.baseUrl, plan.httpConcurrency);
  try {
    log(`longhaul worker hop: publishing ${plan.jobs} jobs through an api-only process`);
    await mapLimit(plan.jobs, plan.httpConcurrency, () => submit(http));
    await waitFor(
      async () => {
        const { rows } = await db.query(
          `SELECT count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent, count(*)::int AS total FROM "${names.schema}".job_outbox`,
        );
        return rows[0].total === plan.jobs && rows[0].sent === plan.jobs;
      },
      { timeoutMs: plan.timeoutMs, intervalMs: 20, what: 'the outbox relay to publish every job' },
    );
    const counts = await statusCounts(db, names.schema);
    if (counts.QUEUED !== plan.jobs) throw new Error(`expected ${plan.jobs} QUEUED jobs before the drain, found ${JSON.stringify(counts)}`);
  } finally {
    await http.close();
    await api.stop();
  }

  log('longhaul worker hop: starting an APP_ROLE=worker process to drain the topic');
  const spawnedAt = performance.now();
  const worker = await startLonghaul(await longhaulEnv(infra, names, 'worker'), 'longhaul (worker)');
  try {
    await waitCompleted(db, names.schema, plan.jobs, plan.timeoutMs, 'longhaul worker drain');
    const drainWallMs = performance.now() - spawnedAt;
    const { rows } = await db.query(
      `SELECT extract(epoch FROM max(finished_at) - min(started_at)) * 1000 AS span FROM "${names.schema}".jobs`,
    );
    const spanMs = Number(rows[0].span);
    return { jobs: plan.jobs, spanMs, drainWallMs, rate: (plan.jobs / spanMs) * 1000 };
  } finally {
    await worker.stop();
  }
}
