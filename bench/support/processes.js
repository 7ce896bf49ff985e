// Child processes, waits and small statistics shared by the benchmarks.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';

/** Starts a child with a minimal environment plus `env`, keeping the tail of its output. */
export function startChild(name, command, args, env) {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  child.alive = true;
  void child.exited.then(() => (child.alive = false));
  child.label = name;
  child.output = () => output;
  return child;
}

/** SIGTERM, then SIGKILL after 15 s. */
export async function stopChild(child) {
  if (!child.alive) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.alive && child.kill('SIGKILL'), 15_000);
  await child.exited;
  clearTimeout(timer);
}

export async function waitUntil(check, timeoutMs, what, child) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && !child.alive) throw new Error(`${child.label} exited while waiting for ${what}:\n${child.output()}`);
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
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

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
