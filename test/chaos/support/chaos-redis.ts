import { connect } from 'node:net';
import { freePort } from '../../support/app-process.js';
import { waitFor } from '../../support/wait-for.js';
import { OwnedProcess } from './owned-process.js';

/** Answers true when a Redis on 127.0.0.1:port replies +PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

/** The suite's own redis-server (loopback, no persistence), killable and restartable on the same port. */
export class ChaosRedis {
  private process: OwnedProcess | null = null;
  private generation = 0;

  private constructor(readonly port: number) {}

  static async start(): Promise<ChaosRedis> {
    const redis = new ChaosRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process?.alive) return;
    this.generation += 1;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const process = new OwnedProcess(`redis-${this.generation}`, 'redis-server', args, { PATH: globalThis.process.env.PATH ?? '' });
    this.process = process;
    await waitFor(
      async () => {
        if (!process.alive) throw new Error(`app exited: redis-server on ${this.port}: ${process.logs()}`);
        return pong(this.port);
      },
      { timeoutMs: 15_000, what: () => `redis-server on 127.0.0.1:${this.port}; output: ${process.logs().slice(-1000)}` },
    );
  }

  /** SIGKILL by pid: the outage a crashed Redis causes. */
  async kill(): Promise<void> {
    await this.process?.kill();
  }

  async stop(): Promise<void> {
    await this.process?.stop(5000);
  }
}
