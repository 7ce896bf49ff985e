// Child processes and waits shared by the benchmarks. Every child started here is tracked: when the
// bench process exits (normally, on an error, on a signal) every child still alive gets SIGKILL, by pid.
import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';

const live = new Set();

process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Stops every child still alive (SIGTERM, SIGKILL after `graceMs`): for watchdogs and signal handlers. */
export async function stopAllChildren(graceMs = 10_000) {
  await Promise.all([...live].map((child) => child.stop(graceMs)));
}

/** Keeps the tail of a child's output, adds `label`, `exited`, `alive`, `output()` and `stop()`. */
function track(child, label, keepChars = 20_000) {
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-keepChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  live.add(child);
  child.label = label;
  child.alive = true;
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  void child.exited.then(() => {
    child.alive = false;
    live.delete(child);
  });
  child.output = () => output;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with the exit code (or signal). */
  child.stop = async (graceMs = 15_000) => {
    if (!child.alive) return child.exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.alive && child.kill('SIGKILL'), graceMs);
    const result = await child.exited;
    clearTimeout(timer);
    return result;
  };
  return child;
}

/** Starts a child with a minimal environment plus `env`, keeping the tail of its output. */
export function startChild(name, command, args, env) {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child, name);
}

/** SIGTERM, then SIGKILL after 15 s. */
export async function stopChild(child) {
  await child.stop();
}

/**
 * Forks a helper module (bench/e2e/*-worker.js) with an IPC channel; resolves once it sends {ready: true}.
 * Its `stop()` asks the helper to close its connections ({stop: true}) and kills it if it does not exit.
 */
export async function forkHelper(modulePath, env, label) {
  const child = track(fork(modulePath, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }), label, 8000);
  await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${label} did not become ready; logs:\n${child.output()}`)), 60_000);
    child.on('message', (message) => {
      if (message?.ready) {
        clearTimeout(timer);
        ready();
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${label} exited (${code}) before it was ready; logs:\n${child.output()}`));
    });
  });
  child.stop = async (graceMs = 15_000) => {
    if (!child.alive) return child.exited;
    child.send({ stop: true });
    const timer = setTimeout(() => child.alive && child.kill('SIGKILL'), graceMs);
    const result = await child.exited;
    clearTimeout(timer);
    return result;
  };
  return child;
}

/**
 * Starts the built longhaul (dist/main.js) on 127.0.0.1:`env.PORT` and waits until /health/ready answers
 * 200. `nodeArgs` are extra node flags (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof); the child's pid is the
 * app's own (no shell in between), so /proc/<pid> readings are the app's.
 */
export async function startLonghaul(env, label, { nodeArgs = [], readyTimeoutMs = 60_000 } = {}) {
  if (!env.PORT) throw new Error('startLonghaul needs env.PORT');
  const child = startChild(label, process.execPath, [...nodeArgs, resolve('dist/main.js')], { HOST: '127.0.0.1', ...env });
  child.baseUrl = `http://127.0.0.1:${env.PORT}`;
  await waitUntil(
    async () => {
      const response = await fetch(`${child.baseUrl}/health/ready`).catch(() => null);
      if (response) await response.body?.cancel();
      return response?.status === 200;
    },
    readyTimeoutMs,
    `${label} to be ready`,
    child,
  );
  return child;
}

/** Extra node flags from an environment variable (space-separated), e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
export function nodeArgsFrom(name) {
  return (process.env[name] ?? '').split(' ').filter(Boolean);
}

export async function waitUntil(check, timeoutMs, what, child) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && !child.alive) throw new Error(`${child.label} exited while waiting for ${what}:\n${child.output().slice(-4000)}`);
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${child ? `; last output:\n${child.output().slice(-3000)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Drops a benchmark's private schema. */
export async function dropSchema(databaseUrl, schema) {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
}
