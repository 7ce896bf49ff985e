// npm run bench:e2e — longhaul end to end on the distributed profile (HTTP → outbox → Kafka → worker →
// PostgreSQL) beside pg-boss on the same PostgreSQL (a sweep of its settings; the best counts), BullMQ at
// concurrency 100 on the same Redis and a raw kafkajs consume loop on the same broker; plus longhaul's
// worker hop, its scaling over 1, 2, 3 worker processes, and the RSS of its APP_ROLE=all process.
//
// Bounded: fixed job counts, every throughput phase has the same time cap, every wait a deadline, a watchdog ends
// the run. Every name it creates starts with `<run id>_e2e` (schemas, topics, groups, Redis keys); it
// removes them all and stops every child it started on every exit path (normal, error, watchdog, signal).
// A phase that fails is reported as failed and the others still run.
//
// Needs the infrastructure of `npm run infra:up` (PostgreSQL, Redis, Kafka on 127.0.0.1) and a build (dist/).
// Knobs (env), defaults in brackets:
//   BENCH_JOBS [3000]               jobs per throughput measurement (each longhaul point, each pg-boss setting, BullMQ, hop, each scale point)
//   BENCH_MAX_SECONDS [60]          time cap of every throughput measurement: a system still busy then is measured on what it completed
//   BENCH_HTTP_CONCURRENCY [32]     concurrent submits (HTTP for longhaul, the client library for the peers)
//   BENCH_WARMUP_JOBS [50]          BENCH_LATENCY_JOBS [200]: jobs one at a time for latency
//   BENCH_LONGHAUL_CONCURRENCY [5,16,64]   the WORKER_CONCURRENCY sweep of longhaul end to end; the best counts
//   BENCH_LONGHAUL_ENV []           more longhaul settings for every longhaul process, "NAME=value NAME=value" (printed)
//   BENCH_E2E_NODE_ARGS []          node flags for every longhaul process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
//   BENCH_PGBOSS_SETTINGS [5x1,16x50,16x100,32x100]  work() loops x batch size; the best counts
//   BENCH_PGBOSS_LATENCY_JOBS [30]  jobs one at a time at pg-boss's best setting (its 0.5 s poll makes each slow)
//   BENCH_BULLMQ_CONCURRENCY [100]  BENCH_RAW_MESSAGES [20000]  BENCH_PARTITIONS [6]
//   BENCH_SCALE_WORKERS [1,2,3]     worker process counts (one API process in front)
//   BENCH_E2E_PHASES [raw,longhaul,hop,scale,bullmq,pgboss]
//   BENCH_WATCHDOG_SECONDS [1800]   DATABASE_URL, REDIS_URL, KAFKA_BROKERS: the infrastructure (127.0.0.1 defaults)
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { benchBullMq } from './e2e/bullmq.js';
import { benchRawKafkaLoop } from './e2e/kafka-raw.js';
import { benchLonghaulEndToEnd, benchLonghaulScale, benchLonghaulWorkerHop, longhaulNames, longhaulSettings } from './e2e/longhaul.js';
import { benchPgBoss, parsePgBossSetting } from './e2e/pgboss.js';
import { log } from './e2e/util.js';
import { bestOf, computeChecks } from './report/checks.js';
import { renderChecks, renderEndToEnd, renderHop, renderScale } from './report/render.js';
import { describeRemoved, sweepPrefix } from './support/cleanup.js';
import { stopAllChildren } from './support/processes.js';
import { infraFromEnv, intEnv, listEnv, suitePrefix, watchdogMs, writeResult } from './support/run-context.js';

const PHASES = ['raw', 'longhaul', 'hop', 'scale', 'bullmq', 'pgboss'];

function parseExtraEnv(text) {
  const env = {};
  for (const pair of (text ?? '').split(/\s+/).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`BENCH_LONGHAUL_ENV takes NAME=value pairs separated by spaces (got "${pair}")`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

const infra = infraFromEnv();
const jobs = intEnv('BENCH_JOBS', 3000);
const plan = {
  jobs,
  httpConcurrency: intEnv('BENCH_HTTP_CONCURRENCY', 32),
  warmupJobs: intEnv('BENCH_WARMUP_JOBS', 50),
  latencyJobs: intEnv('BENCH_LATENCY_JOBS', 200), // submitted one at a time: no queueing delay
  rawMessages: intEnv('BENCH_RAW_MESSAGES', 20_000), // enough for several fetches: a 2,000-message backlog drains in ~20 ms
  partitions: intEnv('BENCH_PARTITIONS', 6),
  longhaulConcurrency: listEnv('BENCH_LONGHAUL_CONCURRENCY', ['5', '16', '64']).map(Number),
  longhaulExtraEnv: parseExtraEnv(process.env.BENCH_LONGHAUL_ENV),
  nodeArgs: (process.env.BENCH_E2E_NODE_ARGS ?? '').split(' ').filter(Boolean),
  pgbossSettings: listEnv('BENCH_PGBOSS_SETTINGS', ['5x1', '16x50', '16x100', '32x100']),
  pgbossLatencyJobs: intEnv('BENCH_PGBOSS_LATENCY_JOBS', 30, { min: 0 }),
  bullConcurrency: intEnv('BENCH_BULLMQ_CONCURRENCY', 100),
  scaleWorkers: listEnv('BENCH_SCALE_WORKERS', ['1', '2', '3']).map(Number),
  phases: listEnv('BENCH_E2E_PHASES', PHASES),
  maxSeconds: intEnv('BENCH_MAX_SECONDS', 60),
  timeoutMs: 180_000, // other waits (the outbox relay publishing the hop's backlog)
};
for (const c of plan.longhaulConcurrency) if (!Number.isInteger(c) || c < 1) throw new Error('BENCH_LONGHAUL_CONCURRENCY: positive integers');
for (const w of plan.scaleWorkers) if (!Number.isInteger(w) || w < 1) throw new Error('BENCH_SCALE_WORKERS: positive integers');
const pgbossSettings = plan.pgbossSettings.map(parsePgBossSetting);
for (const phase of plan.phases) if (!PHASES.includes(phase)) throw new Error(`BENCH_E2E_PHASES: unknown phase ${phase} (${PHASES.join(', ')})`);

const prefix = suitePrefix('e2e');
const names = {
  prefix,
  rawTopic: `${prefix}_raw`,
  rawGroup: `${prefix}_raw-group`,
  pgbossSchema: `${prefix}_pgboss`,
  bullQueue: `${prefix}_bullmq`,
  bullPrefix: `${prefix}_bull`,
};

const result = { settings: { ...plan, pgbossSettings, prefix }, partial: true };

/**
 * Runs one phase; a failure is recorded as {ok: false, error} and the run goes on. After each phase main()
 * writes the result so far (`partial: true`), so a run stopped by its watchdog or a signal still reports
 * what it measured.
 */
async function phase(label, work) {
  try {
    return { ok: true, ...(await work()) };
  } catch (error) {
    log(`${label} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, error: (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300) };
  }
}

async function main() {
  if (!existsSync('dist/main.js')) throw new Error('dist/main.js is missing: run `npm run build` (npm run bench:e2e does)');
  const db = new pg.Pool({ connectionString: infra.databaseUrl, max: 4 });
  const limit = watchdogMs(30 * 60_000);
  let cleaning = null;
  const cleanUp = () =>
    (cleaning ??= sweepPrefix(prefix, infra, log).then(
      (removed) => log(`clean-up: removed ${describeRemoved(removed)}${removed.errors.length ? `; errors: ${removed.errors.join('; ')}` : ''}`),
      (error) => log(`clean-up failed: ${error.message}`),
    ));
  // On the watchdog or a signal: children first (their exit hook also SIGKILLs any left), then the names.
  let aborting = false;
  const abort = (why, code) => async () => {
    if (aborting) return; // a second signal (terminal and harness both) changes nothing
    aborting = true;
    log(`${why}: stopping children and cleaning up`);
    await stopAllChildren(10_000);
    await db.end().catch(() => undefined);
    await cleanUp();
    process.exit(code);
  };
  const watchdog = setTimeout(abort(`watchdog: the run exceeded ${Math.round(limit / 1000)} s`, 2), limit);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, abort(signal, 130));

  const phases = new Set(plan.phases);
  log(`run ${prefix}: ${plan.jobs} jobs per measurement; phases ${plan.phases.join(', ')}; watchdog ${Math.round(limit / 1000)} s`);
  try {
    if (phases.has('raw')) result.raw = await phase('raw kafkajs', () => benchRawKafkaLoop(infra, names, plan));
    writeResult(result);

    if (phases.has('longhaul')) {
      result.longhaul = { sweep: [] };
      for (const concurrency of plan.longhaulConcurrency) {
        const settings = longhaulSettings(plan, concurrency);
        const point = await phase(`longhaul e2e (WORKER_CONCURRENCY ${concurrency})`, () =>
          benchLonghaulEndToEnd(infra, db, longhaulNames(`${prefix}_c${concurrency}`), plan, settings),
        );
        result.longhaul.sweep.push({ settings, ...point });
        writeResult(result);
      }
    }
    // The hop and the scaling run at longhaul's best end-to-end setting (or the first one, if none ran).
    const best = bestOf(result.longhaul?.sweep);
    const tuned = best?.settings ?? longhaulSettings(plan, plan.longhaulConcurrency[0]);
    if (phases.has('hop')) {
      result.hop = { settings: tuned, ...(await phase('longhaul worker hop', () => benchLonghaulWorkerHop(infra, db, longhaulNames(`${prefix}_hop`), plan, tuned))) };
      writeResult(result);
    }
    if (phases.has('scale')) {
      const scale = await phase('longhaul worker processes', async () => ({
        points: await benchLonghaulScale(infra, db, `${prefix}_scale`, plan, tuned, plan.scaleWorkers),
      }));
      result.scale = { settings: tuned, ...scale };
      writeResult(result);
    }
    if (phases.has('bullmq')) result.bullmq = await phase('BullMQ', () => benchBullMq(infra, names, plan));
    writeResult(result);
    if (phases.has('pgboss')) {
      result.pgboss = { sweep: [] };
      for (const [i, setting] of pgbossSettings.entries()) {
        const point = await phase(`pg-boss ${setting.workers}x${setting.batch}`, () =>
          benchPgBoss(infra, db, names, plan, { setting, queue: `${prefix}_noop${i}` }),
        );
        result.pgboss.sweep.push({ setting, ...point });
        writeResult(result);
      }
      const bossBest = bestOf(result.pgboss.sweep);
      if (bossBest && plan.pgbossLatencyJobs > 0) {
        result.pgboss.latency = await phase('pg-boss latency', () =>
          benchPgBoss(infra, db, names, plan, { setting: bossBest.setting, queue: `${prefix}_latency`, throughput: false, latencyJobs: plan.pgbossLatencyJobs }),
        );
      }
    }
  } finally {
    clearTimeout(watchdog);
    await db.end().catch(() => undefined);
    await cleanUp();
  }

  result.partial = false;
  writeResult(result);
  const rows = computeChecks({ e2e: { status: 'ok', result } }).filter((row) => row.suite === 'e2e');
  const sections = [
    `longhaul e2e benchmark — ${new Date().toISOString()}, ${cpus().length} CPU, Node ${process.versions.node}, load average ${loadavg()[0].toFixed(2)}`,
  ];
  if (result.longhaul || result.pgboss || result.bullmq) sections.push(renderEndToEnd(result));
  if (result.raw || result.hop) sections.push(renderHop(result));
  if (result.scale) sections.push(renderScale(result));
  sections.push(renderChecks(rows));
  process.stdout.write(`\n${sections.join('\n\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
