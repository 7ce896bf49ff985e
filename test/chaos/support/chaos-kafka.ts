import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The suite's own broker, driven by the project script on ports of its own (never the shared 9092). */
export const CHAOS_BROKER = {
  address: '127.0.0.1:29092',
  env: { KAFKA_PORT: '29092', KAFKA_CONTROLLER_PORT: '29093', KAFKA_STATE_DIR: '.infra/kafka-chaos' },
};

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000, () => (socket.destroy(), resolveOpen(false)));
    socket.once('error', () => resolveOpen(false));
    socket.once('connect', () => (socket.destroy(), resolveOpen(true)));
  });
}

async function script(command: 'start' | 'stop' | 'reset'): Promise<void> {
  try {
    await run('bash', ['scripts/infra/kafka.sh', command], {
      env: { ...process.env, ...CHAOS_BROKER.env },
      timeout: 240_000,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`kafka.sh ${command} (chaos broker ${CHAOS_BROKER.address}) failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`, {
      cause: error,
    });
  }
}

export const ChaosKafka = {
  /** Pid of the broker kafka.sh started for this suite (its pid file), if it runs. */
  async pid(): Promise<number | undefined> {
    const text = await readFile(resolve(CHAOS_BROKER.env.KAFKA_STATE_DIR, 'kafka.pid'), 'utf8').catch(() => '');
    const pid = Number.parseInt(text.trim(), 10);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  },

  /** Starts the broker; refuses to adopt a broker on 29092 that this suite's pid file does not name. */
  async start(): Promise<void> {
    if ((await portOpen(29092)) && (await ChaosKafka.pid()) === undefined) {
      throw new Error(
        `a Kafka broker not started by the chaos suite already answers on ${CHAOS_BROKER.address}; ` +
          'the suite must be able to stop and restart its broker, so it will not share that one',
      );
    }
    await script('start');
  },

  async stop(): Promise<void> {
    await script('stop');
  },

  /** Stops the broker and deletes its data; SIGKILLs it by pid if the script could not stop it. */
  async destroy(): Promise<void> {
    await script('reset').catch(() => undefined);
    const pid = await ChaosKafka.pid();
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  },
};
