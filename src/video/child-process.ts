import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunOptions {
  /** Aborting stops the process: SIGTERM, then SIGKILL after `killGraceMs`. */
  signal: AbortSignal;
  killGraceMs: number;
  /** Each line the process writes to stdout. */
  onLine?: (line: string) => void;
}

export interface RunOutcome {
  code: number | null;
  stdout: string;
  /** The last few KiB of stderr, for the error message. */
  stderrTail: string;
}

const STDERR_TAIL = 4096;

export class ProcessAborted extends Error {
  constructor(readonly reason: unknown) {
    super(`stopped: ${String(reason)}`);
    this.name = 'ProcessAborted';
  }
}

/**
 * Runs a binary (no shell) and resolves when it has exited. On abort it is terminated and the promise
 * rejects with ProcessAborted only once the process is really gone.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(new ProcessAborted(options.signal.reason));
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (options.onLine) options.onLine(line);
      else stdout += `${line}\n`;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL)));
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (code) => {
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (options.signal.aborted) reject(new ProcessAborted(options.signal.reason));
      else resolve({ code, stdout, stderrTail });
    });
  });
}
