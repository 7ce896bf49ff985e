import { resolve } from 'node:path';
import { freePort, tempDataDir } from '../../support/app-process.js';
import { watchApp } from '../../support/contract/contract-hook.js';
import { waitFor } from '../../support/wait-for.js';
import { OwnedProcess } from './owned-process.js';

const MAIN = resolve('dist/main.js');

export type AppRole = 'api' | 'worker' | 'all';

/** One `node dist/main.js` of a scenario, addressed by its pid; `jobs.locked_by` is `host:<pid>:<random>`. */
export class ChaosApp {
  private constructor(
    readonly name: string,
    readonly role: AppRole,
    readonly baseUrl: string,
    private readonly process: OwnedProcess,
  ) {}

  /** Starts the app and waits until /health/ready answers 200. */
  static async start(name: string, role: AppRole, env: Record<string, string>): Promise<ChaosApp> {
    const port = await freePort();
    const fullEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATA_DIR: tempDataDir(`chaos-${name}`),
      ...env,
      APP_ROLE: role,
      PORT: String(port),
    };
    const child = new OwnedProcess(name, process.execPath, [MAIN], fullEnv);
    const app = new ChaosApp(name, role, `http://127.0.0.1:${port}`, child);
    try {
      await waitFor(
        async () => {
          if (!child.alive) throw new Error(`app exited during start (${name}):\n${child.logs().slice(-4000)}`);
          const answer = await fetch(`${app.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
          return answer?.status === 200;
        },
        { timeoutMs: 90_000, intervalMs: 100, what: () => `${name} to be ready; logs:\n${child.logs().slice(-4000)}` },
      );
    } catch (error) {
      await child.kill();
      throw error;
    }
    watchApp(app.baseUrl);
    return app;
  }

  get pid(): number {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.process.alive;
  }

  get exitInfo() {
    return this.process.exitInfo;
  }

  logs(): string {
    return this.process.logs();
  }

  /** True when `lockedBy` (jobs.locked_by) names this process. */
  holds(lockedBy: string | null): boolean {
    return lockedBy !== null && lockedBy.split(':').at(-2) === String(this.pid);
  }

  freeze(): void {
    this.process.signal('SIGSTOP');
  }

  resume(): void {
    this.process.signal('SIGCONT');
  }

  kill(): Promise<void> {
    return this.process.kill();
  }

  async stop(): Promise<void> {
    await this.process.stop(10_000);
  }

  /** The value of a Prometheus counter or gauge on this node's /metrics (summed over labels); 0 when absent. */
  async metric(name: string): Promise<number> {
    const answer = await fetch(`${this.baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (answer.status !== 200) throw new Error(`${this.name} /metrics answered ${answer.status}`);
    const text = await answer.text();
    let total = 0;
    for (const line of text.split('\n')) {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (match && match[1] === name) total += Number(match[3]);
    }
    return total;
  }

  /** Whether the metric is declared at all on this node (a counter that was never registered is not). */
  async declaresMetric(name: string): Promise<boolean> {
    const answer = await fetch(`${this.baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    return (await answer.text()).includes(`# TYPE ${name} `);
  }
}
