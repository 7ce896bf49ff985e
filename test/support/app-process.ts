import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { watchApp } from './contract/contract-hook.js';
import { waitFor } from './wait-for.js';

const MAIN = resolve('dist/main.js');

export interface AppProcess {
  baseUrl: string;
  port: number;
  /** The app's process id (for /proc/<pid> readings). */
  pid: number;
  dataDir: string;
  env: Record<string, string>;
  logs(): string;
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown hooks run. */
  kill(): Promise<void>;
  /** Sends a signal without waiting (SIGSTOP / SIGCONT freeze and thaw the process). */
  signal(signal: NodeJS.Signals): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export function tempDataDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `longhaul-${label}-`));
  chmodSync(dir, 0o755); // the embedded PostgreSQL runs as the postgres user when we are root
  return dir;
}

/**
 * Nodes of one deployment share SECRETS_KEY (each would otherwise generate its own into its DATA_DIR and
 * could not read the secrets the others sealed): the apps of one test schema get the same key.
 */
function sharedSecretsKey(env: Record<string, string>): Record<string, string> {
  if (!env.DATABASE_SCHEMA) return {};
  return { SECRETS_KEY: createHash('sha256').update(`secrets of ${env.DATABASE_SCHEMA}`).digest('base64') };
}

/** Starts the built app (dist/main.js) as a real process and waits until /health/ready answers 200. */
export async function startApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const dataDir = env.DATA_DIR ?? tempDataDir('app');
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...sharedSecretsKey(env),
    ...env,
    PORT: String(port),
    DATA_DIR: dataDir,
  };
  const child: ChildProcess = spawn(process.execPath, [MAIN], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let alive = true;
  void exited.then(() => (alive = false));

  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (!alive) throw new Error(`app exited during start:\n${output}`);
      const response = await fetch(`${baseUrl}/health/ready`).catch(() => null);
      return response?.status === 200;
    },
    { timeoutMs: 60_000, what: () => `app on ${baseUrl} to be ready; logs:\n${output.slice(-4000)}` },
  );
  watchApp(baseUrl);

  return {
    baseUrl,
    port,
    pid: child.pid!,
    dataDir,
    env: fullEnv,
    logs: () => output,
    async stop() {
      if (!alive) return exited;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (!alive) return;
      child.kill('SIGKILL');
      await exited;
    },
    signal(signal) {
      if (alive) child.kill(signal);
    },
  };
}
