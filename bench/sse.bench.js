// npm run bench:sse — SSE fan-out of the real app against a bare node:http relay, on the SAME Redis.
//
//   5,000 concurrent SSE clients (BENCH_SSE_CLIENTS) on ONE app process (dist/main.js, APP_ROLE=api,
//   Redis adapter), spread over a few jobs (BENCH_SSE_JOBS). Events are driven by publishing progress
//   notices straight onto the app's Redis channel in the app's own format (the encoder and channel name
//   are imported from dist/), so this measures fan-out — one subscription → thousands of sockets — and
//   not job execution. The baseline is a bare node:http server that relays the same channel from one
//   Redis subscription to the same number of sockets, writing the same frames, with nothing else.
//
//   Per target, two phases: "latency" (a moderate fixed rate; p50/p99 of publish → client receipt,
//   from the `updatedAt` each notice carries) and "throughput" (a publish rate above what either side
//   can deliver; events/s received by the clients). Memory per connection = server RSS growth while
//   the clients connect. Targets: throughput ≥ 0.5× the relay, p99 ≤ 2× the relay. Each round measures
//   app and relay back to back (alternating who goes first); ratios are medians of the per-round pairs.
//
//   The clients run in worker threads of this process (one raw TCP socket per client, Buffer scanning). Everything is
//   on 127.0.0.1. File descriptors: each side needs ~5,000; the script re-runs itself under
//   `ulimit -n <hard limit>` (children inherit it) and refuses to start if that is below the need.
//   Bounded: a watchdog ends the run; servers are stopped and the schema dropped on every exit path.
//
// Knobs (env): DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), REDIS_URL (redis://127.0.0.1:6379),
// BENCH_SSE_CLIENTS (5000), BENCH_SSE_JOBS (10), BENCH_SSE_ROUNDS (2), BENCH_SSE_SECONDS (5),
// BENCH_SSE_LATENCY_RATE (2 notices/s per job), BENCH_SSE_FLOOD_RATE (200 notices/s per job),
// BENCH_SSE_CLIENT_THREADS (2), BENCH_SSE_APP_NODE_ARGS (extra node flags for the app, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// BENCH_WATCHDOG_SECONDS (from the plan). Names (schema, Redis prefixes, data dir) start with `<run id>_sse`.
import { dropSchema, freePort, startChild, stopChild, waitUntil } from './support/processes.js';
import { cpuSeconds, rssBytes } from './support/procfs.js';
import { suitePrefix, tempDir, watchdogMs, writeResult } from './support/run-context.js';
import { median } from './support/stats.js';
import { TARGETS } from './report/checks.js';
import { spawn, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const SELF = fileURLToPath(import.meta.url);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const intEnv = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};

// ---------------------------------------------------------------------------------------------------
// The baseline: one Redis subscription relayed to every socket of the job, same frames, nothing else.

async function serveRelay(channel) {
  const { Redis } = await import('ioredis');
  const streams = new Map();
  const server = createHttpServer((req, res) => {
    const match = /^\/jobs\/([0-9a-f-]{36})\/progress$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const jobId = match[1];
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.write(`retry: 2000\n\nevent: snapshot\ndata: {"jobId":"${jobId}"}\n\n`);
    let set = streams.get(jobId);
    if (!set) streams.set(jobId, (set = new Set()));
    set.add(res);
    res.on('close', () => set.delete(res));
  });
  const subscriber = new Redis(REDIS_URL);
  subscriber.on('message', (_channel, message) => {
    const notice = JSON.parse(message);
    if (notice.k !== 'p') return;
    const set = streams.get(notice.jobId);
    if (!set) return;
    const data = JSON.stringify({ jobId: notice.jobId, attempt: notice.attempt, percent: notice.percent, message: notice.message, updatedAt: new Date(notice.updatedAt).toISOString() });
    const frame = `id: 0-${notice.v}\nevent: progress\ndata: ${data}\n\n`;
    for (const res of set) res.write(frame);
  });
  await subscriber.subscribe(channel);
  server.listen(0, '127.0.0.1', 2048, () => process.stdout.write(`RELAY_PORT=${server.address().port}\n`));
  const stop = () => {
    subscriber.disconnect();
    for (const set of streams.values()) for (const res of set) res.destroy();
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// ---------------------------------------------------------------------------------------------------
// Client threads: one raw TCP socket per client (an HTTP/1.1 GET), scanning Buffers natively for frames,
// so 5,000 clients cost the bench little next to the servers it measures.

function runClients({ port, paths, connectConcurrency }) {
  const PROGRESS = Buffer.from('event: progress\n');
  const SNAPSHOT = Buffer.from('event: snapshot\n');
  const STAMP = Buffer.from('"updatedAt":"');
  const sockets = [];
  let events = 0;
  let snapshots = 0;
  let failures = 0;
  let latencies = [];

  const count = (buf, needle, from) => {
    let n = 0;
    for (let at = buf.indexOf(needle, from); at >= 0; at = buf.indexOf(needle, at + needle.length)) n++;
    return n;
  };

  const onData = (state, buf) => {
    let from = 0;
    if (!state.headersDone) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return; // the status line and headers arrive in the first segment on loopback
      if (!buf.toString('latin1', 0, 16).includes(' 200 ')) failures++;
      state.headersDone = true;
      from = end + 4;
      state.ready();
    }
    // A frame marker split across two segments is counted once, from the carried tail.
    if (state.tail) {
      const joined = Buffer.concat([state.tail, buf.subarray(from, from + PROGRESS.length - 1)]);
      events += count(joined, PROGRESS, 0);
      snapshots += count(joined, SNAPSHOT, 0);
    }
    state.tail = Buffer.from(buf.subarray(Math.max(from, buf.length - (PROGRESS.length - 1))));
    snapshots += count(buf, SNAPSHOT, from);
    for (let at = buf.indexOf(PROGRESS, from); at >= 0; at = buf.indexOf(PROGRESS, at + PROGRESS.length)) {
      events++;
      // Latency of every 4th event per client: publish time (`updatedAt`) → now.
      if ((state.seen++ & 3) !== 0) continue;
      const stamp = buf.indexOf(STAMP, at);
      if (stamp >= 0 && stamp + STAMP.length + 24 <= buf.length) {
        latencies.push(Date.now() - Date.parse(buf.toString('latin1', stamp + STAMP.length, stamp + STAMP.length + 24)));
      }
    }
  };

  const open = (path) =>
    new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      const state = { headersDone: false, tail: null, seen: 0, ready: () => resolve() };
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`));
      socket.on('data', (buf) => onData(state, buf));
      socket.on('error', () => {
        failures++;
        resolve();
      });
      sockets.push(socket);
    });

  const connectAll = async () => {
    let next = 0;
    const lane = async () => {
      while (next < paths.length) await open(paths[next++]);
    };
    await Promise.all(Array.from({ length: connectConcurrency }, lane));
  };

  parentPort.on('message', async (command) => {
    if (command === 'connect') {
      await connectAll();
      parentPort.postMessage({ connected: sockets.length, failures });
    } else if (command === 'snapshots') {
      parentPort.postMessage({ snapshots });
    } else if (command === 'reset') {
      events = 0;
      latencies = [];
      parentPort.postMessage({ ok: true });
    } else if (command === 'report') {
      parentPort.postMessage({ events, latencies });
    } else if (command === 'close') {
      for (const socket of sockets) socket.destroy();
      sockets.length = 0;
      parentPort.postMessage({ ok: true });
    }
  });
}

class ClientPool {
  constructor(threads, port, paths) {
    this.workers = Array.from({ length: threads }, (_, i) => {
      const mine = paths.filter((_, index) => index % threads === i);
      return new Worker(SELF, { workerData: { port, paths: mine, connectConcurrency: 64 } });
    });
  }
  ask(command) {
    return Promise.all(this.workers.map((worker) => new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(command);
    })));
  }
  async close() {
    await this.ask('close');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const plan = {
    clients: intEnv('BENCH_SSE_CLIENTS', 5000),
    jobs: intEnv('BENCH_SSE_JOBS', 10),
    rounds: intEnv('BENCH_SSE_ROUNDS', 2),
    seconds: intEnv('BENCH_SSE_SECONDS', 5),
    latencyRate: intEnv('BENCH_SSE_LATENCY_RATE', 2),
    floodRate: intEnv('BENCH_SSE_FLOOD_RATE', 200),
    threads: intEnv('BENCH_SSE_CLIENT_THREADS', 2),
  };
  const fdLimit = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
  if (Number.isFinite(fdLimit) && fdLimit < plan.clients + 512) {
    throw new Error(`ulimit -n is ${fdLimit}; ${plan.clients} clients need at least ${plan.clients + 512} file descriptors per process (raise the hard limit, or lower BENCH_SSE_CLIENTS)`);
  }

  const { encodeProgressChange } = await import('../dist/progress/events/progress-change.js');
  const { progressChannel } = await import('../dist/progress/adapters/progress-keys.js');
  const { Redis } = await import('ioredis');

  const schema = suitePrefix('sse');
  const prefix = `${schema}:progress:`;
  const channel = progressChannel(prefix);
  const dataDir = tempDir(schema);
  const children = [];
  let pools = [];
  const publisher = new Redis(REDIS_URL);

  // One clean-up, however many callers (the normal end, the watchdog, signals): all wait for the same one.
  let cleaning = null;
  const cleanUp = () => (cleaning ??= cleanUpOnce());
  const cleanUpOnce = async () => {
    await Promise.all(pools.map((pool) => pool.close().catch(() => undefined)));
    await Promise.all(children.map((child) => stopChild(child)));
    publisher.disconnect();
    await dropSchema(DATABASE_URL, schema);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const limit = watchdogMs((plan.rounds * 2 * (2 * plan.seconds + 60) + 120) * 1000);
  const watchdog = setTimeout(() => {
    log(`watchdog: the benchmark ran longer than ${limit / 1000} s; stopping`);
    void cleanUp().finally(() => process.exit(2));
  }, limit);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void cleanUp().finally(() => process.exit(130))); // cleanUp runs once, however many signals

  try {
    log(`${plan.clients} clients over ${plan.jobs} jobs, ${plan.rounds} rounds × (latency at ${plan.latencyRate}/s/job, flood at ${plan.floodRate}/s/job) × ${plan.seconds} s; fd limit ${fdLimit}; Redis ${REDIS_URL}, channel ${channel}`);
    const appPort = await freePort();
    const nodeArgs = (process.env.BENCH_SSE_APP_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
    const app = startChild('app', process.execPath, [...nodeArgs, 'dist/main.js'], {
      PORT: String(appPort),
      HOST: '127.0.0.1',
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATA_DIR: dataDir,
      REDIS_URL,
      PROGRESS_KEY_PREFIX: prefix,
      WEBHOOK_QUEUE_PREFIX: `${schema}:webhooks`,
      APP_ROLE: 'api',
      LOG_LEVEL: 'warn',
      // Limits that protect a real deployment, kept on but never tripped: every client here is one caller.
      SSE_MAX_STREAMS_PER_KEY: String(plan.clients + 100),
      API_RATE_LIMIT_PER_MINUTE: '100000000',
    });
    children.push(app);
    const appUrl = `http://127.0.0.1:${appPort}`;
    await waitUntil(async () => (await fetch(`${appUrl}/health/ready`).catch(() => null))?.status === 200, 60_000, 'the app to be ready', app);

    // Jobs that stay PENDING for the whole run (no workers on an api node; due in a day).
    const jobIds = [];
    for (let i = 0; i < plan.jobs; i++) {
      const response = await fetch(`${appUrl}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'sleep', delaySeconds: 86_400 }) });
      if (response.status !== 202) throw new Error(`submit failed: ${response.status} ${await response.text()}`);
      jobIds.push((await response.json()).jobId);
    }
    const paths = Array.from({ length: plan.clients }, (_, i) => `/jobs/${jobIds[i % plan.jobs]}/progress`);

    const relay = startChild('relay', process.execPath, [SELF, '--relay', channel], { REDIS_URL });
    children.push(relay);
    const relayPort = Number(await waitUntil(() => /RELAY_PORT=(\d+)/.exec(relay.output())?.[1], 20_000, 'the relay', relay));
    const targets = { app: { port: appPort, child: app }, relay: { port: relayPort, child: relay } };

    // Publishing: paced by the clock (ratePerJob × elapsed, sent in pipelined batches every ~10 ms, so a
    // slow tick is made up by the next), one notice per job per step, in the app's exact format.
    const versions = new Map(jobIds.map((id) => [id, 0]));
    const publishFor = async (ratePerJob, ms) => {
      const started = Date.now();
      let steps = 0;
      for (;;) {
        const elapsed = Date.now() - started;
        if (elapsed >= ms) break;
        const due = Math.floor((ratePerJob * elapsed) / 1000) + 1;
        if (due > steps) {
          const pipeline = publisher.pipeline();
          for (; steps < due; steps++) {
            for (const jobId of jobIds) {
              const now = Date.now();
              const version = Math.max(now, versions.get(jobId) + 1);
              versions.set(jobId, version);
              pipeline.publish(channel, encodeProgressChange({ jobId, attempt: 1, percent: version % 101, message: 'bench', updatedAt: new Date(now).toISOString(), version }));
            }
          }
          await pipeline.exec();
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return steps * jobIds.length;
    };

    const results = { app: [], relay: [] };
    const memory = {};
    for (let round = 1; round <= plan.rounds; round++) {
      const order = round % 2 ? ['app', 'relay'] : ['relay', 'app'];
      log(`round ${round}/${plan.rounds}`);
      for (const name of order) {
        const target = targets[name];
        const rssBefore = rssBytes(target.child.pid);
        const pool = new ClientPool(plan.threads, target.port, paths);
        pools.push(pool);
        const connectStarted = Date.now();
        const connected = await pool.ask('connect');
        const failures = connected.reduce((sum, r) => sum + r.failures, 0);
        await waitUntil(async () => (await pool.ask('snapshots')).reduce((sum, r) => sum + r.snapshots, 0) >= plan.clients, 60_000, `${name}: all first events`);
        const connectMs = Date.now() - connectStarted;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const rssAfter = rssBytes(target.child.pid);
        memory[name] ??= (rssAfter - rssBefore) / plan.clients; // first connect of each side (RSS rarely shrinks after)

        const phase = async (rate) => {
          await pool.ask('reset');
          const started = performance.now();
          const cpuBefore = cpuSeconds(target.child.pid);
          const sent = await publishFor(rate, plan.seconds * 1000);
          await new Promise((resolve) => setTimeout(resolve, 500)); // let the last frames arrive
          const seconds = (performance.now() - started) / 1000;
          const cpu = cpuSeconds(target.child.pid) - cpuBefore;
          const reports = await pool.ask('report');
          const events = reports.reduce((sum, r) => sum + r.events, 0);
          const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
          const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
          return { sent, offered: (sent * plan.clients) / plan.jobs, offeredRate: (sent * plan.clients) / plan.jobs / seconds, events, rate: events / seconds, p50: at(50), p99: at(99), cpu };
        };
        const latency = await phase(plan.latencyRate);
        const flood = await phase(plan.floodRate);
        results[name].push({ latency, flood });
        log(
          `  ${name.padEnd(5)} connect ${plan.clients} in ${connectMs} ms (${failures} failed); ` +
            `latency phase ${fmt(latency.rate)} ev/s of ${fmt(latency.offeredRate)} offered, p50 ${latency.p50} ms, p99 ${latency.p99} ms; ` +
            `flood ${fmt(flood.rate)} ev/s (p99 ${flood.p99} ms, ${((flood.events / flood.offered) * 100).toFixed(0)}% of offered delivered), server CPU ${flood.cpu.toFixed(1)} s`,
        );
        await pool.close();
        pools = pools.filter((p) => p !== pool);
      }
    }

    const ratios = (pick) => results.app.map((r, i) => pick(r) / pick(results.relay[i]));
    const throughputRatio = median(ratios((r) => r.flood.rate));
    const p99Ratio = median(ratios((r) => Math.max(1, r.latency.p99)));
    const { sseThroughput, sseP99 } = TARGETS;
    const avg = (name, pick) => results[name].reduce((sum, r) => sum + pick(r), 0) / results[name].length;
    console.log('');
    console.log(`longhaul SSE benchmark — ${plan.clients} clients on one process, ${plan.jobs} jobs, ${plan.rounds} rounds, Redis pub/sub fan-out`);
    console.log(`  throughput (flood ${plan.floodRate}/s/job)   app ${fmt(avg('app', (r) => r.flood.rate))} events/s   relay ${fmt(avg('relay', (r) => r.flood.rate))} events/s   ratio ${throughputRatio.toFixed(2)} (target ≥ ${sseThroughput.value.toFixed(2)}) ${throughputRatio >= sseThroughput.value ? 'OK' : 'MISSED'}`);
    console.log(`  latency (${plan.latencyRate}/s/job)           app p50 ${avg('app', (r) => r.latency.p50).toFixed(1)} ms p99 ${avg('app', (r) => r.latency.p99).toFixed(1)} ms   relay p50 ${avg('relay', (r) => r.latency.p50).toFixed(1)} ms p99 ${avg('relay', (r) => r.latency.p99).toFixed(1)} ms   p99 ratio ${p99Ratio.toFixed(2)} (target ≤ ${sseP99.value.toFixed(2)}) ${p99Ratio <= sseP99.value ? 'OK' : 'MISSED'}`);
    console.log(`  p99 under flood                  app ${avg('app', (r) => r.flood.p99).toFixed(0)} ms   relay ${avg('relay', (r) => r.flood.p99).toFixed(0)} ms`);
    console.log(`  memory per connection (RSS growth while connecting)   app ${(memory.app / 1024).toFixed(1)} KiB   relay ${(memory.relay / 1024).toFixed(1)} KiB`);
    writeResult({
      settings: { ...plan, nodeArgs: nodeArgs.join(' '), LOG_LEVEL: 'warn' },
      throughput: { app: avg('app', (r) => r.flood.rate), relay: avg('relay', (r) => r.flood.rate), ratio: throughputRatio, rounds: ratios((r) => r.flood.rate) },
      latency: {
        app: { p50: avg('app', (r) => r.latency.p50), p99: avg('app', (r) => r.latency.p99) },
        relay: { p50: avg('relay', (r) => r.latency.p50), p99: avg('relay', (r) => r.latency.p99) },
        p99Ratio,
        rounds: ratios((r) => Math.max(1, r.latency.p99)),
      },
      floodP99: { app: avg('app', (r) => r.flood.p99), relay: avg('relay', (r) => r.flood.p99) },
      memoryPerConnectionKiB: { app: memory.app / 1024, relay: memory.relay / 1024 },
    });
    console.log(`  (ratios: median of per-round app ÷ relay pairs [throughput ${ratios((r) => r.flood.rate).map((x) => x.toFixed(2)).join(' ')}; p99 ${ratios((r) => Math.max(1, r.latency.p99)).map((x) => x.toFixed(2)).join(' ')}]; latency = client receipt − publish time, ms resolution; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs, clients and Redis on the same machine)`);
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
  }
}

// ---------------------------------------------------------------------------------------------------

function fmt(n) {
  return Math.round(n).toLocaleString('en-US').padStart(9);
}

function log(message) {
  process.stderr.write(`[bench:sse] ${message}\n`);
}

// Entry point (at the end: the class above must be initialised before main() runs).
if (!isMainThread) {
  runClients(workerData);
} else if (process.argv[2] === '--relay') {
  await serveRelay(process.argv[3]);
} else if (process.env.BENCH_SSE_ULIMIT_RAISED !== '1') {
  // Re-run under the hard file-descriptor limit; the app and relay inherit it.
  const child = spawn('sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, SELF, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_SSE_ULIMIT_RAISED: '1' },
  });
  // A stop request for this wrapper is for the bench: it cleans up, then exits, and so does the wrapper.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}
