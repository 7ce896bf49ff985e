// npm run bench:webhooks — signed webhook deliveries per second through the app's delivery path,
// beside a raw undici loop sending the same signed requests at the same concurrency.   target ≥ 0.5×
//
//   app:  N rows enqueued (one INSERT into webhook_deliveries + the adapter's hand-off: NOTIFY, or a Bull
//         addBulk when Redis is measured) → the delivery worker claims, signs (Standard Webhooks + X-Signature),
//         POSTs through the SSRF-guarded undici agent, and records every attempt in PostgreSQL. Timed from
//         the enqueue to the moment PostgreSQL says all N are delivered.
//   raw:  N POSTs of the same signed bodies with undici.request at the same concurrency, nothing recorded.
//
// The sink is a bare Fastify server in a child process on 127.0.0.1 answering 200. The app runs in this
// process (dist/, after `npm run build`) on a fresh schema of DATABASE_URL per queue profile; schemas and
// Bull keys start with `<run id>_webhooks` and are removed on every exit path (normal, error, watchdog,
// signal). Bounded: each measurement has a deadline and a watchdog ends the whole run.
//
// Knobs (env): DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_N (4000), BENCH_CONCURRENCY (64, the
// app's WEBHOOK_CONCURRENCY default; used for both), BENCH_ROUNDS (3), BENCH_REDIS_URL (redis://127.0.0.1:6379; "off" skips Bull),
// BENCH_WATCHDOG_SECONDS (240). Profile the app (it runs in this process): node --cpu-prof bench/webhooks.bench.js
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TARGETS } from './report/checks.js';
import { sweepPrefix } from './support/cleanup.js';
import { suitePrefix, watchdogMs, writeResult } from './support/run-context.js';
import { median } from './support/stats.js';

const SELF = fileURLToPath(import.meta.url);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MEASURE_DEADLINE_MS = 60_000;

const intEnv = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};

if (process.argv[2] === '--sink') {
  await serveSink();
} else {
  await main();
}

// ---------------------------------------------------------------------------------------------------
// The receiver: a bare Fastify server that answers 200 and counts.

async function serveSink() {
  const { default: Fastify } = await import('fastify');
  const sink = Fastify({ logger: false, bodyLimit: 1_048_576 });
  let received = 0;
  sink.post('/hook', async (_request, reply) => {
    received += 1;
    return reply.code(200).send({ ok: true });
  });
  await sink.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (message) => {
    if (message === 'count') process.send?.({ received });
  });
  process.send?.({ port: sink.server.address().port });
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const n = intEnv('BENCH_N', 4000);
  const concurrency = intEnv('BENCH_CONCURRENCY', 64);
  const rounds = intEnv('BENCH_ROUNDS', 3);
  const prefix = suitePrefix('webhooks');
  // Last on every exit path: whatever a failed start left behind (a migrated schema, Bull keys).
  const cleanups = [() => sweepPrefix(prefix, { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL === 'off' ? undefined : REDIS_URL })];
  let cleaning = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error) => console.error(`clean-up: ${error.message}`));
    })());
  let aborting = false;
  const abort = (why, code) => () => {
    if (aborting) return; // a second signal (terminal and harness both) changes nothing
    aborting = true;
    console.error(`${why}: cleaning up`);
    void cleanUp().finally(() => process.exit(code));
  };
  const limit = watchdogMs(240_000);
  const watchdog = setTimeout(abort(`watchdog: the benchmark took longer than ${limit / 1000} s`, 2), limit);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, abort(signal, 130));

  const sink = await startSink();
  cleanups.push(() => sink.child.kill('SIGTERM'));
  const results = [];
  const skipped = [];
  try {
    const { signatureHeaders, generateSecret } = await import('../dist/webhooks/domain/signature.js');
    const url = `http://127.0.0.1:${sink.port}/hook`;
    console.log(`webhook delivery benchmark: N=${n} per run, concurrency ${concurrency}, ${rounds} round(s), sink ${url}`);

    const profiles = [{ name: 'table (embedded profile)', tag: 'table', redisUrl: undefined }];
    if (REDIS_URL !== 'off' && (await redisAnswers(REDIS_URL))) profiles.push({ name: 'Bull (Redis)', tag: 'bull', redisUrl: REDIS_URL });
    else {
      skipped.push({ name: 'Bull (Redis)', skipped: REDIS_URL === 'off' ? 'BENCH_REDIS_URL=off' : `Redis at ${REDIS_URL} not reachable` });
      console.log(`(Redis at ${REDIS_URL} not reachable or BENCH_REDIS_URL=off: Bull not measured)`);
    }

    for (const profile of profiles) {
      const app = await startBenchApp(profile, concurrency, `${prefix}_${profile.tag}`);
      cleanups.push(() => app.close());
      const secret = generateSecret();
      const subscription = await app.subscribe(url, secret);
      const raw = rawLoop(url, concurrency, secret, signatureHeaders);

      await raw.run(Math.min(500, n)); // warm-up: connections, JIT
      await app.drain(subscription, Math.min(500, n), sink);
      for (let round = 1; round <= rounds; round++) {
        // Alternate which goes first so drifting background load hits both alike.
        const order = round % 2 === 1 ? ['raw', 'app'] : ['app', 'raw'];
        const measured = {};
        for (const which of order) {
          const cpu = process.cpuUsage();
          const ms = which === 'raw' ? await raw.run(n) : await app.drain(subscription, n, sink);
          const used = process.cpuUsage(cpu);
          measured[which] = { rate: n / (ms / 1000), cpuMicros: (used.user + used.system) / n };
        }
        const result = {
          profile: profile.name,
          round,
          appRate: measured.app.rate,
          rawRate: measured.raw.rate,
          ratio: measured.app.rate / measured.raw.rate,
          appCpuMicros: measured.app.cpuMicros,
          rawCpuMicros: measured.raw.cpuMicros,
        };
        results.push(result);
        console.log(
          `  ${profile.name.padEnd(24)} round ${round}: app ${result.appRate.toFixed(0).padStart(6)} deliveries/s ` +
            `(${measured.app.cpuMicros.toFixed(0)} µs CPU each)   raw undici ${result.rawRate.toFixed(0).padStart(6)} req/s ` +
            `(${measured.raw.cpuMicros.toFixed(0)} µs CPU each)   ratio ${result.ratio.toFixed(2)}×`,
        );
      }
      await raw.close();
      await app.close();
      cleanups.pop();
    }

    const target = TARGETS.webhooksVsRaw.value;
    console.log(`\nsummary (median of ${rounds} round(s); target ≥ ${target.toFixed(2)}×):`);
    const summary = [];
    for (const name of new Set(results.map((result) => result.profile))) {
      const mine = results.filter((result) => result.profile === name);
      const ratio = median(mine.map((result) => result.ratio));
      const verdict = ratio >= target ? 'meets target' : 'BELOW target';
      const profile = {
        name,
        appRate: median(mine.map((r) => r.appRate)),
        rawRate: median(mine.map((r) => r.rawRate)),
        ratio,
        rounds: mine.map((r) => r.ratio),
        appCpuMicros: median(mine.map((r) => r.appCpuMicros)),
        rawCpuMicros: median(mine.map((r) => r.rawCpuMicros)),
      };
      summary.push(profile);
      console.log(
        `  ${name.padEnd(24)} app ${profile.appRate.toFixed(0)} deliveries/s, raw ${profile.rawRate.toFixed(0)} req/s, ratio ${ratio.toFixed(2)}× (${verdict})`,
      );
    }
    writeResult({ settings: { n, concurrency, rounds, WEBHOOK_CONCURRENCY: concurrency, LOG_LEVEL: 'warn' }, profiles: [...summary, ...skipped] });
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
  process.exit(0);
}

function startSink() {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['--sink'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sink exited with ${code}`)));
    child.once('message', (message) => resolve({ child, port: message.port }));
  });
}

async function redisAnswers(url) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** The same signed POSTs, sent straight with undici at a fixed concurrency. */
function rawLoop(url, concurrency, secret, signatureHeaders) {
  let agent;
  const target = new URL(url);
  return {
    async run(count) {
      const { Agent } = await import('undici');
      agent ??= new Agent({ keepAliveTimeout: 4000 });
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < count) {
          const i = next++;
          const id = `msg_raw_${i}`;
          const body = payload(id);
          const headers = signatureHeaders(id, Math.floor(Date.now() / 1000), body, [secret]);
          const response = await agent.request({
            origin: target.origin,
            path: target.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'longhaul-webhooks/0.1', ...headers },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          await response.body.dump();
          if (response.statusCode !== 200) throw new Error(`sink answered ${response.statusCode}`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return performance.now() - started;
    },
    close: () => agent?.close(),
  };
}

function payload(id) {
  return JSON.stringify({
    id,
    type: 'job.complete',
    createdAt: new Date().toISOString(),
    data: { jobId: '6f1c0a3e-8d2b-4c5f-9e7a-1b2c3d4e5f60', status: 'COMPLETED', resultUrl: '/jobs/6f1c0a3e-8d2b-4c5f-9e7a-1b2c3d4e5f60/result' },
  });
}

/** The real app (dist/) in this process on a fresh schema, with its delivery worker running. */
async function startBenchApp(profile, concurrency, schema) {
  const { default: pg } = await import('pg');
  const { DataSource } = await import('typeorm');
  const { loadConfig } = await import('../dist/config/load-config.js');
  const { migrate } = await import('../dist/database/migrate.js');
  const { createApp } = await import('../dist/bootstrap/create-app.js');
  const { WebhookSubscriptionsService } = await import('../dist/webhooks/webhook-subscriptions.service.js');
  const { WebhookDeliveryQueue } = await import('../dist/webhooks/delivery/webhook-delivery-queue.js');

  const queuePrefix = `${schema}_queue`;
  const env = {
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_CONCURRENCY: String(concurrency),
    WEBHOOK_CALLBACK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
    WEBHOOK_QUEUE_PREFIX: queuePrefix,
    ...(profile.redisUrl ? { REDIS_URL: profile.redisUrl } : {}),
  };
  const config = loadConfig(env);
  const target = { url: DATABASE_URL, schema };
  await migrate(target);
  const app = await createApp(config, target);
  await app.init();
  const db = app.get(DataSource);
  const queue = app.get(WebhookDeliveryQueue);

  return {
    async subscribe(url, secret) {
      const { subscription } = await app.get(WebhookSubscriptionsService).create({ url, events: ['job.complete'], secret }, 'default');
      return subscription;
    },
    /** Enqueues `count` signed deliveries and returns the ms until PostgreSQL has them all delivered. */
    async drain(subscription, count, sink) {
      const tag = randomBytes(4).toString('hex');
      const started = performance.now();
      const rows = await db.query(
        `INSERT INTO webhook_deliveries (id, message_id, endpoint_key, subscription_id, url, event_type, body, status, next_attempt_at, tenant)
         SELECT gen_random_uuid(), 'msg_' || $4::text || '_' || g, $1::text, $1::uuid, $2::text, 'job.complete',
                json_build_object('id', 'msg_' || $4::text || '_' || g, 'type', 'job.complete', 'createdAt', now(),
                  'data', json_build_object('jobId', '6f1c0a3e-8d2b-4c5f-9e7a-1b2c3d4e5f60', 'status', 'COMPLETED',
                    'resultUrl', '/jobs/6f1c0a3e-8d2b-4c5f-9e7a-1b2c3d4e5f60/result'))::text,
                'pending', now(), 'default'
           FROM generate_series(1, $3::int) g
         RETURNING id, round`,
        [subscription.id, subscription.url, count, tag],
      );
      await queue.enqueued(rows);
      const deadline = Date.now() + MEASURE_DEADLINE_MS;
      for (;;) {
        const [{ delivered, failed }] = await db.query(
          `SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered, count(*) FILTER (WHERE status = 'failed')::int AS failed
             FROM webhook_deliveries WHERE message_id LIKE $1`,
          [`msg_${tag}_%`],
        );
        if (failed > 0) throw new Error(`${failed} deliveries failed during the benchmark`);
        if (delivered >= count) break;
        if (Date.now() > deadline) throw new Error(`only ${delivered}/${count} delivered within ${MEASURE_DEADLINE_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const elapsed = performance.now() - started;
      await sinkCount(sink); // the sink is alive and counting (sanity)
      return elapsed;
    },
    async close() {
      await app.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
      if (profile.redisUrl) {
        const { Redis } = await import('ioredis');
        const redis = new Redis(profile.redisUrl);
        const keys = await redis.keys(`${queuePrefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
    },
  };
}

function sinkCount(sink) {
  return new Promise((resolve) => {
    sink.child.once('message', (message) => resolve(message.received));
    sink.child.send('count');
  });
}
