// longhaul on the distributed profile (HTTP → outbox → Kafka → worker → PostgreSQL), started from dist/.
import kafkajs from 'kafkajs';
import { Pool as HttpPool } from 'undici';
import { freePort, startLonghaul } from '../support/processes.js';
import { cpuSeconds, sampleRss } from '../support/procfs.js';
import { epochMs, latencyStats, log, mapLimit, oneAtATime, timedThroughput, waitFor } from './util.js';

const { Kafka, logLevel } = kafkajs;
const NOOP_JOB = JSON.stringify({ type: 'sleep', payload: {} });

/** One isolated longhaul deployment: its schema, topic (+ .DLT), consumer group and Redis prefixes. */
export function longhaulNames(prefix) {
  return { schema: prefix, topic: prefix, group: `${prefix}-workers`, redisPrefix: `${prefix}:progress:`, queuePrefix: `${prefix}:webhooks` };
}

/**
 * The settings of one measured longhaul configuration: what the report prints beside its figures.
 * Everything not listed is the app's default.
 */
export function longhaulSettings(plan, workerConcurrency) {
  return {
    WORKER_CONCURRENCY: String(workerConcurrency),
    KAFKA_PARTITIONS: String(plan.partitions),
    LOG_LEVEL: 'warn',
    ...plan.longhaulExtraEnv,
  };
}

/** The environment of one longhaul process; `settings` from longhaulSettings(). */
export async function longhaulEnv(infra, names, role, settings) {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers,
    DATABASE_URL: infra.databaseUrl,
    DATABASE_SCHEMA: names.schema,
    REDIS_URL: infra.redisUrl,
    KAFKA_TOPIC: names.topic,
    KAFKA_GROUP_ID: names.group,
    KAFKA_CLIENT_ID: names.topic,
    PROGRESS_KEY_PREFIX: names.redisPrefix,
    WEBHOOK_QUEUE_PREFIX: names.queuePrefix,
    DAILY_REPORT_ENABLED: 'false',
    // Limits that builds with per-tenant quotas and rate limits apply: kept on, never tripped by a bench.
    API_RATE_LIMIT_PER_MINUTE: '100000000',
    MAX_QUEUED_JOBS_PER_TENANT: '100000000',
    ...settings,
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

/** COMPLETED jobs in the schema; throws as soon as any job went DEAD or CANCELLED (a no-op job never should). */
async function completedCount(db, schema, label) {
  const counts = await statusCounts(db, schema);
  if ((counts.DEAD ?? 0) + (counts.CANCELLED ?? 0) > 0) throw new Error(`${label}: jobs ended badly: ${JSON.stringify(counts)}`);
  return counts.COMPLETED ?? 0;
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

async function stopAndReport(child) {
  const code = await child.stop();
  if (code !== 0) log(`${child.label} exited with ${code}; last logs:\n${child.output().slice(-2000)}`);
}

/**
 * One APP_ROLE=all process: warm up, then jobs one at a time for submit → complete latency at low load,
 * then N jobs over HTTP with bounded concurrency (timed until all COMPLETED, or the time cap). The
 * process's VmRSS is sampled from its start to its stop; its CPU time is read around the throughput phase.
 */
export async function benchLonghaulEndToEnd(infra, db, names, plan, settings) {
  const app = await startLonghaul(await longhaulEnv(infra, names, 'all', settings), `longhaul (all, ${settings.WORKER_CONCURRENCY} slots)`, {
    nodeArgs: plan.nodeArgs,
  });
  const rss = sampleRss(app.pid, 100);
  const http = httpClient(app.baseUrl, plan.httpConcurrency);
  try {
    log(`longhaul e2e (WORKER_CONCURRENCY ${settings.WORKER_CONCURRENCY}): warm-up ${plan.warmupJobs} jobs (includes the consumer group join)`);
    await mapLimit(plan.warmupJobs, 8, () => submit(http));
    await waitCompleted(db, names.schema, plan.warmupJobs, 60_000, 'longhaul warm-up');

    log(`longhaul e2e: latency, ${plan.latencyJobs} jobs one at a time`);
    const submitted = await oneAtATime(plan.latencyJobs, () => submit(http), (job) => isCompleted(db, names.schema, job.id));
    const latency = await latenciesOf(db, names.schema, submitted);

    log(`longhaul e2e: ${plan.jobs} jobs, ${plan.httpConcurrency} concurrent submits (at most ${plan.maxSeconds} s)`);
    const before = plan.warmupJobs + plan.latencyJobs;
    const cpuBefore = cpuSeconds(app.pid);
    const throughput = await timedThroughput({
      jobs: plan.jobs,
      concurrency: plan.httpConcurrency,
      maxSeconds: plan.maxSeconds,
      submit: () => submit(http),
      completed: async () => (await completedCount(db, names.schema, 'longhaul throughput')) - before,
    });
    const cpu = cpuSeconds(app.pid) - cpuBefore;
    log(`longhaul e2e: ${describeThroughput(throughput)}`);
    return {
      ...throughput,
      submitRate: (throughput.submitted / throughput.submitMs) * 1000,
      cpuMicrosPerJob: (cpu / Math.max(1, throughput.completed)) * 1e6,
      latency,
      rss: rss.stop(),
    };
  } finally {
    rss.stop();
    await http.close();
    await stopAndReport(app);
  }
}

export const describeThroughput = (t) =>
  `${t.completed}/${t.jobs} completed in ${(t.elapsedMs / 1000).toFixed(2)} s → ${t.rate.toFixed(1)} jobs/s${t.capped ? ' (time cap reached)' : ''}`;

/** Publishes `count` jobs through an APP_ROLE=api process (nobody consumes) and waits until the relay sent them all. */
async function publishBacklog(infra, db, names, plan, settings, count) {
  const api = await startLonghaul(await longhaulEnv(infra, names, 'api', settings), 'longhaul (api)', { nodeArgs: plan.nodeArgs });
  const http = httpClient(api.baseUrl, plan.httpConcurrency);
  try {
    await mapLimit(count, plan.httpConcurrency, () => submit(http));
    await waitFor(
      async () => {
        const { rows } = await db.query(
          `SELECT count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent, count(*)::int AS total FROM "${names.schema}".job_outbox`,
        );
        return rows[0].total === count && rows[0].sent === count;
      },
      { timeoutMs: plan.timeoutMs, intervalMs: 20, what: 'the outbox relay to publish every job' },
    );
    const counts = await statusCounts(db, names.schema);
    if (counts.QUEUED !== count) throw new Error(`expected ${count} QUEUED jobs before the drain, found ${JSON.stringify(counts)}`);
  } finally {
    await http.close();
    await api.stop();
  }
}

/**
 * The worker hop: an APP_ROLE=api process accepts and publishes N jobs (nobody consumes) and stops; then
 * an APP_ROLE=worker process drains the topic. Rate = completed ÷ (first claim → last completion), over
 * what completed within the time cap.
 */
export async function benchLonghaulWorkerHop(infra, db, names, plan, settings) {
  log(`longhaul worker hop: publishing ${plan.jobs} jobs through an api-only process`);
  await publishBacklog(infra, db, names, plan, settings, plan.jobs);

  log(`longhaul worker hop: starting an APP_ROLE=worker process (WORKER_CONCURRENCY ${settings.WORKER_CONCURRENCY}) to drain the topic (at most ${plan.maxSeconds} s)`);
  const spawnedAt = performance.now();
  const worker = await startLonghaul(await longhaulEnv(infra, names, 'worker', settings), 'longhaul (worker)', { nodeArgs: plan.nodeArgs });
  try {
    const deadline = performance.now() + plan.maxSeconds * 1000;
    let completed = 0;
    await waitFor(
      async () => {
        completed = await completedCount(db, names.schema, 'longhaul worker drain');
        return completed >= plan.jobs || performance.now() >= deadline;
      },
      { timeoutMs: plan.maxSeconds * 1000 + 10_000, intervalMs: 10, what: 'the worker drain' },
    );
    const drainWallMs = performance.now() - spawnedAt;
    const { rows } = await db.query(
      `SELECT extract(epoch FROM max(finished_at) - min(started_at)) * 1000 AS span
       FROM "${names.schema}".jobs WHERE status = 'COMPLETED'`,
    );
    const spanMs = Number(rows[0].span);
    const result = { jobs: plan.jobs, completed, capped: completed < plan.jobs, spanMs, drainWallMs, rate: (completed / spanMs) * 1000 };
    log(`longhaul worker hop: ${completed}/${plan.jobs} drained, ${result.rate.toFixed(1)} jobs/s${result.capped ? ' (time cap reached)' : ''}`);
    return result;
  } finally {
    await stopAndReport(worker);
  }
}

/**
 * Horizontal scaling: for each count, a fresh deployment (own schema, topic, group) of one APP_ROLE=api
 * process and that many APP_ROLE=worker processes; wait until the group is Stable with that many members,
 * warm up, then N jobs over HTTP, timed until all COMPLETED (or the time cap). A point that fails is
 * recorded and the next one still runs.
 */
export async function benchLonghaulScale(infra, db, prefix, plan, settings, workerCounts) {
  const points = [];
  for (const count of workerCounts) {
    const names = longhaulNames(`${prefix}${count}`);
    try {
      points.push({ ok: true, workers: count, ...(await scalePoint(infra, db, names, plan, settings, count)) });
    } catch (error) {
      log(`longhaul scale: ${count} worker process(es) FAILED: ${error.message}`);
      points.push({ ok: false, workers: count, error: error.message.split('\n')[0].slice(0, 300) });
    }
  }
  return points;
}

async function scalePoint(infra, db, names, plan, settings, count) {
  const admin = new Kafka({ clientId: `${names.topic}-probe`, brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING }).admin();
  const processes = [];
  let http = null;
  try {
    const api = await startLonghaul(await longhaulEnv(infra, names, 'api', settings), 'longhaul (api)', { nodeArgs: plan.nodeArgs });
    processes.push(api);
    const workers = await Promise.allSettled(
      Array.from({ length: count }, async (_, i) =>
        startLonghaul(await longhaulEnv(infra, names, 'worker', settings), `longhaul (worker ${i + 1}/${count})`, { nodeArgs: plan.nodeArgs }),
      ),
    );
    for (const worker of workers) if (worker.status === 'fulfilled') processes.push(worker.value);
    const failed = workers.find((worker) => worker.status === 'rejected');
    if (failed) throw failed.reason;
    http = httpClient(api.baseUrl, plan.httpConcurrency);
    await admin.connect();
    let group = null;
    await waitFor(
      async () => {
        [group] = (await admin.describeGroups([names.group])).groups;
        return group?.state === 'Stable' && group.members.length === count;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: () => `the consumer group to be Stable with ${count} members (${group?.state}, ${group?.members.length})` },
    );
    log(`longhaul scale: ${count} worker process(es): warm-up ${plan.warmupJobs} jobs, then ${plan.jobs} jobs (at most ${plan.maxSeconds} s)`);
    await mapLimit(plan.warmupJobs, 8, () => submit(http));
    await waitCompleted(db, names.schema, plan.warmupJobs, 60_000, `scale ${count} warm-up`);
    const throughput = await timedThroughput({
      jobs: plan.jobs,
      concurrency: plan.httpConcurrency,
      maxSeconds: plan.maxSeconds,
      submit: () => submit(http),
      completed: async () => (await completedCount(db, names.schema, `scale ${count}`)) - plan.warmupJobs,
    });
    log(`longhaul scale: ${count} worker process(es): ${describeThroughput(throughput)}`);
    return throughput;
  } finally {
    await admin.disconnect().catch(() => undefined);
    await http?.close();
    for (const child of processes.reverse()) await stopAndReport(child);
  }
}
