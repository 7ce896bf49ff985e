import { fork, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from './util.js';

const live = new Set();

/** Every child still alive when the bench exits (normally or not) gets SIGKILL. */
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function track(child, label) {
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  live.add(child);
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  void exited.then(() => live.delete(child));
  return {
    child,
    label,
    exited,
    alive: () => live.has(child),
    logs: () => output,
    /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
    async stop(graceMs = 15_000) {
      if (!live.has(child)) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Forks a helper module (bench/e2e/*-worker.js) with an IPC channel; resolves once it sends {ready: true}. */
export async function forkHelper(modulePath, env, label) {
  const child = fork(modulePath, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const handle = track(child, label);
  await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${label} did not become ready; logs:\n${handle.logs()}`)), 60_000);
    child.on('message', (message) => {
      if (message?.ready) {
        clearTimeout(timer);
        ready();
      }
    });
    void handle.exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${label} exited (${code}) before it was ready; logs:\n${handle.logs()}`));
    });
  });
  return {
    ...handle,
    /** Asks the helper to close its connections and exit; kills it if it does not. */
    async stop(graceMs = 15_000) {
      if (!handle.alive()) return handle.exited;
      child.send({ stop: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await handle.exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Starts the built longhaul (dist/main.js) and waits until /health/ready answers 200. */
export async function startLonghaul(env, label) {
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const child = spawn(process.execPath, [resolve('dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle = track(child, label);
  await waitFor(
    async () => {
      if (!handle.alive()) throw new Error(`${label} exited during start; logs:\n${handle.logs()}`);
      const response = await fetch(`${baseUrl}/health/ready`).catch(() => null);
      if (response) await response.body?.cancel();
      return response?.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: () => `${label} to be ready; logs:\n${handle.logs().slice(-3000)}` },
  );
  return { ...handle, baseUrl };
}
