import { execFile } from 'node:child_process';

/** An OS identity to run a child process as (only possible when we are root). */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface RunCommandOptions {
  readonly runAs?: RunAs;
  readonly timeoutMs?: number;
  /** Appended to the error message when the command fails (e.g. the tail of the server log). */
  readonly failureContext?: () => Promise<string | undefined>;
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A fixed, minimal environment: the PostgreSQL tools must not pick up PGPORT, PGDATA, LANG, ... from
 * whatever shell started the app. The binaries find their libraries through their RUNPATH
 * ($ORIGIN/../lib), so no LD_LIBRARY_PATH is needed.
 */
const CHILD_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LC_ALL: 'C',
  LANG: 'C',
};

export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | string | null,
    readonly stderr: string,
    details: string,
  ) {
    super(`Command failed (exit ${String(exitCode)}): ${command}\n${details}`.trimEnd());
    this.name = 'CommandFailedError';
  }
}

/** Last `maxLines` non-empty lines of `text`. */
export function tailLines(text: string, maxLines = 20): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-maxLines).join('\n');
}

function describe(file: string, args: readonly string[]): string {
  return [file, ...args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part)))
    .join(' ');
}

/** Runs a program without a shell, optionally as another OS user, and resolves with its output. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const command = describe(file, args);
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        env: CHILD_ENV,
        // The caller's cwd may not be readable by the postgres user.
        cwd: '/',
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
        ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const exitCode = error.code ?? error.signal ?? null;
        const output = tailLines(stderr) || tailLines(stdout) || error.message;
        void (async () => {
          let context: string | undefined;
          try {
            context = await options.failureContext?.();
          } catch {
            context = undefined;
          }
          const details = context ? `${output}\n${context}` : output;
          reject(new CommandFailedError(command, exitCode, stderr, details));
        })();
      },
    );
  });
}
