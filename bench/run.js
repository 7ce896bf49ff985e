// npm run bench — every benchmark with its peers in one run, one suite after another on the same machine:
//
//   e2e       longhaul end to end (WORKER_CONCURRENCY sweep, RSS, latency) ÷ pg-boss at its best of a settings
//             sweep and ÷ BullMQ at concurrency 100; worker hop ÷ raw kafkajs; 1, 2, 3 worker processes
//   api       POST /jobs ÷ bare Fastify + INSERT, GET /jobs/{id} ÷ bare SELECT
//   webhooks  signed deliveries/s ÷ a raw undici signed POST loop (table and Bull queues)
//   sse       SSE fan-out ÷ a bare node:http relay (issue 4)
//
// Writes bench/results/latest.json (machine, versions, load average, every figure and setting, every
// target with MET / MISSED / NOT MEASURED) and bench/results/latest.md, and prints the same summary;
// each suite's full output goes to bench/results/logs/<suite>.log. `npm run bench:readme` then rewrites
// the README's performance section from latest.json.
//
// Bounded and clean: each suite is a child process in its own process group with a timeout (it also
// gets its own watchdog a minute earlier, so it can clean up itself); on a timeout, Ctrl-C or SIGTERM the
// suite gets SIGTERM, then its whole process group (the suite and every process it started) SIGKILL.
// Every name a suite creates starts with this run's id; after the suites, a final sweep removes any schema,
// topic, consumer group, Redis key or temporary directory of the run that is left (and reports it: a
// suite that cleans up after itself leaves nothing). Missed targets do not fail the run (benchmarks, not
// tests); a suite that fails or times out does (exit code 1), after writing what was measured.
//
// Usage: npm run bench [-- --quick] [-- --only=e2e,api] [-- --skip=sse]
//   --quick  small counts everywhere: a smoke test of the harness (minutes), not a measurement
// Knobs: each suite's own (see the header of bench/<suite>.bench.js), passed through; the generic ones
// are namespaced here because two suites read the same name: BENCH_API_{CONCURRENCY,SECONDS,ROUNDS,
// WARMUP_SECONDS} and BENCH_WEBHOOKS_{N,CONCURRENCY,ROUNDS}. BENCH_<SUITE>_TIMEOUT_MINUTES overrides a
// suite's timeout. DATABASE_URL, REDIS_URL, KAFKA_BROKERS: the infrastructure (`npm run infra:up`).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { computeChecks } from './report/checks.js';
import { renderDocument } from './report/render.js';
import { describeRemoved, sweepPrefix } from './support/cleanup.js';
import { describeMachine, gitInfo, loadAverage, packageVersions, probeServices } from './support/environment.js';
import { infraFromEnv, intEnv, logger, newRunId } from './support/run-context.js';

const log = logger('bench');
const RESULTS = resolve('bench/results');
const LOGS = join(RESULTS, 'logs');
const GRACE_MS = 60_000; // after SIGTERM, before the suite's process group gets SIGKILL

/** Suites in run order. `quick`: the small counts of --quick (applied only where the knob is unset). */
const SUITES = [
  {
    name: 'e2e',
    file: 'bench/e2e.bench.js',
    timeoutMinutes: { full: 30, quick: 10 },
    quick: {
      BENCH_JOBS: '200',
      BENCH_WARMUP_JOBS: '20',
      BENCH_LATENCY_JOBS: '20',
      BENCH_RAW_MESSAGES: '5000',
      BENCH_LONGHAUL_CONCURRENCY: '5,32',
      BENCH_MAX_SECONDS: '10',
      BENCH_PGBOSS_LATENCY_JOBS: '5',
    },
  },
  {
    name: 'api',
    file: 'bench/api.bench.js',
    timeoutMinutes: { full: 6, quick: 3 },
    rename: { BENCH_API_CONCURRENCY: 'BENCH_CONCURRENCY', BENCH_API_SECONDS: 'BENCH_SECONDS', BENCH_API_ROUNDS: 'BENCH_ROUNDS', BENCH_API_WARMUP_SECONDS: 'BENCH_WARMUP_SECONDS' },
    quick: { BENCH_SECONDS: '1', BENCH_ROUNDS: '1', BENCH_WARMUP_SECONDS: '1' },
  },
  {
    name: 'webhooks',
    file: 'bench/webhooks.bench.js',
    timeoutMinutes: { full: 6, quick: 3 },
    rename: { BENCH_WEBHOOKS_N: 'BENCH_N', BENCH_WEBHOOKS_CONCURRENCY: 'BENCH_CONCURRENCY', BENCH_WEBHOOKS_ROUNDS: 'BENCH_ROUNDS' },
    quick: { BENCH_N: '300', BENCH_ROUNDS: '1' },
  },
  {
    name: 'sse',
    file: 'bench/sse.bench.js',
    timeoutMinutes: { full: 8, quick: 3 },
    quick: { BENCH_SSE_CLIENTS: '300', BENCH_SSE_ROUNDS: '1', BENCH_SSE_SECONDS: '2' },
  },
];
// Names two suites read with different meanings: never passed through as they are.
const AMBIGUOUS = ['BENCH_CONCURRENCY', 'BENCH_SECONDS', 'BENCH_ROUNDS', 'BENCH_WARMUP_SECONDS', 'BENCH_N', 'BENCH_ONLY'];
const OWN = ['BENCH_RUN_ID', 'BENCH_RESULT_FILE', 'BENCH_WATCHDOG_SECONDS'];

function parseArgs(argv) {
  const options = { quick: false, only: null, skip: [] };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg.startsWith('--only=')) options.only = arg.slice(7).split(',').filter(Boolean);
    else if (arg.startsWith('--skip=')) options.skip = arg.slice(7).split(',').filter(Boolean);
    else throw new Error(`unknown argument ${arg} (--quick, --only=a,b, --skip=a,b)`);
  }
  for (const name of [...(options.only ?? []), ...options.skip]) {
    if (!SUITES.some((suite) => suite.name === name)) throw new Error(`unknown suite ${name} (${SUITES.map((s) => s.name).join(', ')})`);
  }
  return options;
}

function suiteEnv(suite, options, runId, resultFile, watchdogSeconds) {
  const env = { ...process.env };
  for (const name of [...AMBIGUOUS, ...OWN]) delete env[name];
  for (const [from, to] of Object.entries(suite.rename ?? {})) if (process.env[from] !== undefined) env[to] = process.env[from];
  if (options.quick) for (const [name, value] of Object.entries(suite.quick)) env[name] ??= value;
  return { ...env, BENCH_RUN_ID: runId, BENCH_RESULT_FILE: resultFile, BENCH_WATCHDOG_SECONDS: String(watchdogSeconds) };
}

/** The knobs a suite ran with (BENCH_*), for the record. */
const knobsOf = (env) => Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('BENCH_') && !OWN.includes(name)).sort());

const groupAlive = (pid) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};
const signalGroup = (pid, signal) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
};

let current = null; // {child, name} of the suite running now
process.on('exit', () => {
  if (current) signalGroup(current.child.pid, 'SIGKILL');
});

/** Runs one suite; resolves with {status, seconds, exitCode, result?, error?}. Never rejects. */
function runSuite(suite, env, timeoutMs, logFile) {
  return new Promise((done) => {
    const started = performance.now();
    const out = createWriteStream(logFile);
    // Its own process group: a signal to -pid reaches the suite and everything it started, and a Ctrl-C in
    // the terminal reaches only this harness, which stops the suite in order.
    const child = spawn(process.execPath, [suite.file], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = { child, name: suite.name, stop: null };
    let stopping = null;
    let killTimer = null;
    const stop = (why) => {
      if (stopping) return;
      stopping = why;
      log(`${suite.name}: ${why}; SIGTERM, then SIGKILL to its process group after ${GRACE_MS / 1000} s`);
      child.kill('SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), GRACE_MS);
    };
    current.stop = stop;
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        process.stderr.write(chunk);
        out.write(chunk);
      });
    }
    const timer = setTimeout(() => stop(`timed out after ${Math.round(timeoutMs / 60_000)} min`), timeoutMs);
    child.once('exit', async (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      // A suite SIGKILLs what is left of its children as it exits; give the kernel a moment to reap them,
      // then anything of its group still alive is ours to end.
      for (let i = 0; i < 20 && groupAlive(child.pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      if (groupAlive(child.pid)) {
        log(`${suite.name}: processes of its group outlived it by 2 s; SIGKILL to the group`);
        signalGroup(child.pid, 'SIGKILL');
      }
      current = null;
      out.end();
      const seconds = (performance.now() - started) / 1000;
      const status = stopping ? (stopping.startsWith('timed out') ? 'timeout' : 'interrupted') : code === 0 ? 'ok' : 'failed';
      const record = { status, seconds, exitCode: code ?? signal };
      if (stopping) record.error = stopping;
      else if (code !== 0) {
        const why = code === 2 ? ' (its own watchdog fired)' : code === 130 ? ' (interrupted)' : '';
        record.error = `exited with ${code ?? signal}${why}; see bench/results/logs/${suite.name}.log`;
      }
      done(record);
    });
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const infra = infraFromEnv();
  if (!existsSync('dist/main.js')) throw new Error('dist/main.js is missing: run `npm run build` (npm run bench does)');
  const selected = SUITES.filter((suite) => (!options.only || options.only.includes(suite.name)) && !options.skip.includes(suite.name));

  const { services, problems } = await probeServices(infra);
  if (problems.length > 0) {
    throw new Error(`the infrastructure does not answer (start it with \`npm run infra:up\`):\n  - ${problems.join('\n  - ')}`);
  }
  mkdirSync(LOGS, { recursive: true });
  const runId = newRunId();
  const timeouts = Object.fromEntries(
    selected.map((suite) => [suite.name, intEnv(`BENCH_${suite.name.toUpperCase()}_TIMEOUT_MINUTES`, suite.timeoutMinutes[options.quick ? 'quick' : 'full'])]),
  );
  const budgetMinutes = Object.values(timeouts).reduce((sum, minutes) => sum + minutes + GRACE_MS / 60_000, 0) + 3;
  const doc = {
    schema: 1,
    runId,
    complete: false,
    startedAt: new Date().toISOString(),
    options: { quick: options.quick, suites: selected.map((suite) => suite.name), timeoutMinutes: timeouts },
    git: gitInfo(),
    machine: { ...describeMachine(), loadAverage: { before: loadAverage(), after: null } },
    services,
    packages: packageVersions(['pg-boss', 'bullmq', 'kafkajs', 'fastify', 'undici', 'pg', 'ioredis']),
    suites: {},
  };
  log(`run ${runId}: ${selected.map((s) => s.name).join(', ')}${options.quick ? ' (quick: small counts, a smoke test)' : ''}; at most ${Math.ceil(budgetMinutes)} min`);
  log(`PostgreSQL ${services.postgresql}, Kafka ${services.kafka}, Redis ${services.redis}; load average ${doc.machine.loadAverage.before.join(' ')} on ${doc.machine.cpus} CPUs`);

  let interrupted = null;
  const finish = async () => {
    doc.finishedAt = new Date().toISOString();
    doc.durationSeconds = (Date.parse(doc.finishedAt) - Date.parse(doc.startedAt)) / 1000;
    doc.machine.loadAverage.after = loadAverage();
    log(`final sweep of ${runId}_*`);
    const removed = await sweepPrefix(`${runId}_`, infra, log);
    doc.cleanup = { ...removed, summary: describeRemoved(removed) };
    doc.checks = computeChecks(doc.suites);
    doc.complete = !interrupted && selected.every((suite) => doc.suites[suite.name]?.status === 'ok');
    writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
    const markdown = renderDocument(doc);
    writeFileSync(join(RESULTS, 'latest.md'), markdown);
    process.stdout.write(`\n${markdown}\n`);
    log(`wrote bench/results/latest.json and bench/results/latest.md; the README section: npm run bench:readme`);
  };

  const interrupt = (why, code) => {
    if (interrupted) {
      log(`${why} again: killing the running suite's process group now`);
      if (current) signalGroup(current.child.pid, 'SIGKILL');
      return;
    }
    interrupted = { why, code };
    current?.stop(why);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => interrupt(signal, 130));
  const watchdog = setTimeout(() => interrupt(`the whole run exceeded ${Math.ceil(budgetMinutes)} min`, 2), budgetMinutes * 60_000);
  watchdog.unref();

  for (const suite of selected) {
    if (interrupted) {
      doc.suites[suite.name] = { status: 'skipped', seconds: 0, error: `not started: ${interrupted.why}` };
      continue;
    }
    const resultFile = join(LOGS, `${suite.name}.json`);
    rmSync(resultFile, { force: true });
    const timeoutMs = timeouts[suite.name] * 60_000;
    // The suite's own watchdog fires first (a minute early, or at 3/4 of a short timeout), so it cleans up itself.
    const seconds = timeouts[suite.name] * 60;
    const env = suiteEnv(suite, options, runId, resultFile, seconds > 240 ? seconds - 60 : Math.round(seconds * 0.75));
    log(`suite ${suite.name} (timeout ${timeouts[suite.name]} min; its log: bench/results/logs/${suite.name}.log)`);
    const before = loadAverage();
    const record = await runSuite(suite, env, timeoutMs, join(LOGS, `${suite.name}.log`));
    record.loadAverage = { before, after: loadAverage() };
    record.knobs = knobsOf(env);
    if (existsSync(resultFile)) record.result = JSON.parse(readFileSync(resultFile, 'utf8'));
    else if (record.status === 'ok') Object.assign(record, { status: 'failed', error: 'the suite wrote no result' });
    doc.suites[suite.name] = record;
    log(`suite ${suite.name}: ${record.status} in ${record.seconds.toFixed(0)} s${record.error ? ` (${record.error})` : ''}`);
  }
  clearTimeout(watchdog);
  await finish();
  if (interrupted) process.exit(interrupted.code);
  process.exit(doc.complete ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`npm run bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
