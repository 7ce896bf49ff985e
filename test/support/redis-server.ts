import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from './app-process.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** A private redis-server on a spare loopback port, so a test can stop it without touching the shared 6379. */
export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  cli(...args: string[]): Promise<string>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const cli = async (...args: string[]) =>
    (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
  const ping = () => cli('ping').catch(() => '');
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cli,
    async start() {
      await run('redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'yes',
      ]);
      await waitFor(async () => (await ping()) === 'PONG', {
        timeoutMs: 10_000,
        what: `redis-server on ${port}`,
      });
    },
    async stop() {
      await cli('shutdown', 'nosave').catch(() => undefined);
      await waitFor(async () => (await ping()) !== 'PONG', {
        timeoutMs: 10_000,
        what: `redis-server on ${port} to stop`,
      });
    },
  };
}
