// npm run bench:api — the job API against a bare Fastify + pg baseline, on the SAME PostgreSQL.
//
//   POST /jobs       (the real app, dist/main.js)   ÷  POST /jobs on bare Fastify doing one INSERT   target ≥ 0.70
//   GET  /jobs/{id}  (the real app)                 ÷  GET  /jobs/:id on bare Fastify doing one SELECT target ≥ 0.85
//
// Both servers are child processes on 127.0.0.1, both use a pg Pool of the same size on one fresh schema
// of DATABASE_URL (the app's `jobs` table; the baseline's `bench_jobs`, created LIKE jobs INCLUDING ALL,
// so the same columns, defaults, constraints and indexes). undici drives each with a fixed number of
// concurrent requests for a fixed time after a warm-up. Each round measures app and bare back to back
// (alternating who goes first) and the ratio printed is the median of those per-round pairs, so load
// from other processes on the machine hits both sides alike. The server processes' CPU time per
// request (from /proc) is printed too. Bounded: a watchdog ends the run; children are stopped and the
// schema is dropped on every exit path. Names start with `<run id>_api` (see bench/support/run-context.js).
//
// Knobs (env): DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_CONCURRENCY (32),
// BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (1), BENCH_ROUNDS (3), BENCH_ONLY (post: skip the GET pair),
// BENCH_APP_NODE_ARGS (extra node flags for the app, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// BENCH_APP_ROLE (api: the HTTP node alone; `all` also runs the workers, which then execute every
// submitted job on the same two cores), BENCH_WATCHDOG_SECONDS (from the plan).
import { dropSchema, freePort, startChild, stopChild, waitUntil } from './support/processes.js';
import { cpuSeconds } from './support/procfs.js';
import { suitePrefix, tempDir, watchdogMs, writeResult } from './support/run-context.js';
import { median } from './support/stats.js';
import { TARGETS } from './report/checks.js';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POOL_SIZE = 20; // the app's TypeORM pool size (src/database/typeorm-options.ts)

const intEnv = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

if (process.argv[2] === '--serve-bare') {
  await serveBare(process.argv[3]);
} else {
  await main();
}

// ---------------------------------------------------------------------------------------------------
// The baseline: a bare Fastify server, one statement per request, same pool size, same schema.

async function serveBare(schema) {
  const { default: Fastify } = await import('fastify');
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: POOL_SIZE, options: `-c search_path=${schema}` });
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });

  app.post('/jobs', async (request, reply) => {
    const body = request.body ?? {};
    const id = randomUUID();
    const { rows } = await pool.query(
      `INSERT INTO bench_jobs (id, type, payload, status, priority, max_attempts, run_at, idempotency_key, request_hash, owner, callback_url, tenant)
       VALUES ($1, $2, $3::jsonb, 'QUEUED', 0, 3, now(), NULL, NULL, 'anonymous', NULL, 'default') RETURNING id, status`,
      [id, String(body.type), JSON.stringify(body.payload ?? {})],
    );
    const statusUrl = `/jobs/${rows[0].id}`;
    return reply
      .code(202)
      .header('Location', statusUrl)
      .header('Retry-After', '2')
      .send({ jobId: rows[0].id, status: rows[0].status, statusUrl, progressUrl: `${statusUrl}/progress` });
  });

  app.get('/jobs/:id', async (request, reply) => {
    const { rows } = await pool.query(`SELECT * FROM bench_jobs WHERE id = $1`, [request.params.id]);
    if (rows.length === 0) return reply.code(404).send({ status: 404 });
    return rows[0];
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`BARE_PORT=${app.server.address().port}\n`);
  const stop = () => void app.close().then(() => pool.end()).finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const plan = {
    concurrency: intEnv('BENCH_CONCURRENCY', 32),
    seconds: intEnv('BENCH_SECONDS', 5),
    warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 1),
    rounds: intEnv('BENCH_ROUNDS', 3),
    appRole: process.env.BENCH_APP_ROLE ?? 'api',
    only: process.env.BENCH_ONLY, // 'post': skip the GET pair (for profiling the submit path)
  };
  if (!['api', 'all'].includes(plan.appRole)) throw new Error('BENCH_APP_ROLE must be api or all');
  const schema = suitePrefix('api');
  const dataDir = tempDir(schema);
  const children = [];
  const { default: pg } = await import('pg');

  // One clean-up, however many callers (the normal end, the watchdog, signals): all wait for the same one.
  let cleaning = null;
  const cleanUp = () => (cleaning ??= cleanUpOnce());
  const cleanUpOnce = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await dropSchema(DATABASE_URL, schema);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const limit = watchdogMs((plan.rounds * 4 * (plan.seconds + plan.warmupSeconds) + 120) * 1000);
  const watchdog = setTimeout(() => {
    log(`watchdog: the benchmark ran longer than ${limit / 1000} s; stopping`);
    void cleanUp().finally(() => process.exit(2));
  }, limit);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => void cleanUp().finally(() => process.exit(130))); // cleanUp runs once, however many signals
  }

  try {
    log(`PostgreSQL ${redact(DATABASE_URL)}, schema ${schema}; concurrency ${plan.concurrency}, ${plan.warmupSeconds} s warm-up + ${plan.seconds} s per measurement, ${plan.rounds} rounds; app role ${plan.appRole}`);
    const appPort = await freePort();
    const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
    const app = startChild('app', process.execPath, [...nodeArgs, 'dist/main.js'], {
      PORT: String(appPort),
      HOST: '127.0.0.1',
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATA_DIR: dataDir,
      APP_ROLE: plan.appRole,
      LOG_LEVEL: 'warn',
      // Both limits stay on (their per-request cost is part of what is measured) but never trip.
      API_RATE_LIMIT_PER_MINUTE: '100000000',
      MAX_QUEUED_JOBS_PER_TENANT: '100000000',
    });
    children.push(app);
    const appUrl = `http://127.0.0.1:${appPort}`;
    await waitUntil(async () => (await fetch(`${appUrl}/health/ready`).catch(() => null))?.status === 200, 60_000, 'the app to be ready', app);

    // The app has migrated the schema; the baseline gets a table shaped exactly like `jobs`.
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE TABLE "${schema}".bench_jobs (LIKE "${schema}".jobs INCLUDING ALL)`);
    await admin.end();

    const bare = startChild('bare', process.execPath, [SELF, '--serve-bare', schema], { DATABASE_URL });
    children.push(bare);
    const barePort = Number(await waitUntil(() => /BARE_PORT=(\d+)/.exec(bare.output())?.[1], 20_000, 'the bare server', bare));
    const bareUrl = `http://127.0.0.1:${barePort}`;

    const { Pool } = await import('undici');
    const clients = { app: new Pool(appUrl, { connections: plan.concurrency }), bare: new Pool(bareUrl, { connections: plan.concurrency }) };
    const submitBody = JSON.stringify({ type: 'sleep', payload: { ms: 0 } });
    const ids = { app: [], bare: [] };
    const post = (target) => async () => {
      const response = await clients[target].request({ method: 'POST', path: '/jobs', headers: { 'content-type': 'application/json' }, body: submitBody });
      const text = await response.body.text();
      if (response.statusCode !== 202) return false;
      if (ids[target].length < 5000) ids[target].push(JSON.parse(text).jobId);
      return true;
    };
    const get = (target) => {
      let next = 0;
      return async () => {
        const list = ids[target];
        const id = list[next++ % list.length];
        const response = await clients[target].request({ method: 'GET', path: `/jobs/${id}` });
        await response.body.dump();
        // 303 once the job has COMPLETED (BENCH_APP_ROLE=all runs the jobs): an answer as good as a 200.
        return response.statusCode === 200 || response.statusCode === 303;
      };
    };

    const totals = {};
    const servers = { app, bare };
    const perRound = { post: [], get: [] };
    const measure = async (name, target, request) => {
      const result = await drive(request, plan, () => cpuSeconds(servers[target].pid));
      result.rate = result.ok / result.seconds;
      totals[name] ??= { ok: 0, failed: 0, seconds: 0, cpu: 0 };
      Object.assign(totals[name], {
        ok: totals[name].ok + result.ok,
        failed: totals[name].failed + result.failed,
        seconds: totals[name].seconds + result.seconds,
        cpu: totals[name].cpu + result.cpu,
      });
      const cpu = Number.isFinite(result.cpu) ? `, server CPU ${fmt((result.cpu / result.ok) * 1e6)} µs/req` : '';
      log(`  ${name.padEnd(22)} ${fmt(result.rate)} req/s  (${result.ok} ok, ${result.failed} failed, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms${cpu})`);
      return result;
    };
    const pair = async (kind, label, request) => {
      // Alternate which side goes first, so drift in background load does not favour one.
      const order = perRound[kind].length % 2 === 0 ? ['app', 'bare'] : ['bare', 'app'];
      const rates = {};
      for (const target of order) rates[target] = (await measure(`${label} ${target}`, target, request(target))).rate;
      perRound[kind].push(rates.app / rates.bare);
    };

    for (let round = 1; round <= plan.rounds; round++) {
      log(`round ${round}/${plan.rounds}`);
      await pair('post', 'POST /jobs', post);
      if (plan.only !== 'post') await pair('get', 'GET /jobs/{id}', get);
    }
    await clients.app.close();
    await clients.bare.close();

    const rate = (name) => (totals[name] ? totals[name].ok / totals[name].seconds : NaN);
    // Each round measures app and bare back to back; the median of those paired ratios resists
    // load that other processes put on the machine better than a ratio of totals does.
    const postRatio = median(perRound.post);
    const getRatio = median(perRound.get);
    const { postVsBare, getVsBare } = TARGETS;
    const failed = Object.values(totals).reduce((sum, t) => sum + t.failed, 0);
    console.log('');
    console.log(`longhaul API benchmark — ${plan.concurrency} concurrent, ${plan.rounds}×${plan.seconds} s each, app role ${plan.appRole}, same PostgreSQL`);
    const rounds = (ratios) => ratios.map((r) => r.toFixed(2)).join(' ');
    console.log(`  POST /jobs        app ${fmt(rate('POST /jobs app'))} req/s   bare INSERT ${fmt(rate('POST /jobs bare'))} req/s   ratio ${postRatio.toFixed(2)} (target ≥ ${postVsBare.value.toFixed(2)}) ${postRatio >= postVsBare.value ? 'OK' : 'MISSED'}   [rounds: ${rounds(perRound.post)}]`);
    if (plan.only !== 'post') {
      console.log(`  GET /jobs/{id}    app ${fmt(rate('GET /jobs/{id} app'))} req/s   bare SELECT ${fmt(rate('GET /jobs/{id} bare'))} req/s   ratio ${getRatio.toFixed(2)} (target ≥ ${getVsBare.value.toFixed(2)}) ${getRatio >= getVsBare.value ? 'OK' : 'MISSED'}   [rounds: ${rounds(perRound.get)}]`);
    }
    console.log(`  (req/s: totals over all rounds; ratio: median of the per-round app ÷ bare pairs; load average at the end ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
    const cpuPer = (name) => (totals[name] ? (totals[name].cpu / totals[name].ok) * 1e6 : NaN);
    if (Number.isFinite(cpuPer('POST /jobs app'))) {
      console.log(`  server CPU per request: POST app ${fmt(cpuPer('POST /jobs app'))} µs, bare ${fmt(cpuPer('POST /jobs bare'))} µs; GET app ${fmt(cpuPer('GET /jobs/{id} app'))} µs, bare ${fmt(cpuPer('GET /jobs/{id} bare'))} µs`);
    }
    if (failed > 0) console.log(`  ${failed} requests failed (not counted)`);
    const side = (name) => ({ rate: rate(name), cpuMicrosPerRequest: cpuPer(name) });
    const pairResult = (label, ratios) => ({ app: side(`${label} app`), bare: side(`${label} bare`), ratio: median(ratios), rounds: ratios });
    writeResult({
      settings: { concurrency: plan.concurrency, seconds: plan.seconds, warmupSeconds: plan.warmupSeconds, rounds: plan.rounds, appRole: plan.appRole, poolSize: POOL_SIZE, LOG_LEVEL: 'warn', nodeArgs: nodeArgs.join(' ') },
      post: pairResult('POST /jobs', perRound.post),
      get: plan.only === 'post' ? null : pairResult('GET /jobs/{id}', perRound.get),
      failedRequests: failed,
    });
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
  }
}

/** Fixed concurrency for a fixed time: warm-up first (not counted), then the measurement. */
async function drive(request, plan, serverCpu) {
  const runFor = async (ms, latencies) => {
    const end = Date.now() + ms;
    let ok = 0;
    let failed = 0;
    const worker = async () => {
      while (Date.now() < end) {
        const started = performance.now();
        const good = await request().catch(() => false);
        if (good) {
          ok++;
          latencies?.push(performance.now() - started);
        } else failed++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
    return { ok, failed, seconds: (performance.now() - started) / 1000 };
  };
  await runFor(plan.warmupSeconds * 1000);
  const latencies = [];
  const cpuBefore = serverCpu();
  const result = await runFor(plan.seconds * 1000, latencies);
  result.cpu = serverCpu() - cpuBefore;
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { ...result, p50: at(50), p99: at(99) };
}

// ---------------------------------------------------------------------------------------------------






function fmt(n) {
  return Math.round(n).toLocaleString('en-US').padStart(7);
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function log(message) {
  process.stderr.write(`[bench:api] ${message}\n`);
}
