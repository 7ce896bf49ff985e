import { spawn, type ChildProcess } from 'node:child_process';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process this suite started and therefore may signal: it is only ever addressed by its own
 * pid. Keeps its output for the post-mortem.
 */
export class OwnedProcess {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | null = null;
  private output = '';
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    env: Record<string, string>,
  ) {
    this.child = spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    this.pid = this.child.pid;
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      if (this.output.length > 8_000_000) this.output = this.output.slice(-4_000_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolveExit) =>
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolveExit(this.exit);
      }),
    );
  }

  get alive(): boolean {
    return this.exit === null;
  }

  get exitInfo(): ExitInfo | null {
    return this.exit;
  }

  logs(): string {
    return this.output;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** SIGKILL: nothing of the process's own shutdown runs. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (after SIGCONT, in case it is frozen), then SIGKILL once `graceMs` has passed. */
  async stop(graceMs = 10_000): Promise<ExitInfo> {
    if (!this.alive) return this.exited;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
