import type { ClusterLocation } from './cluster-location.js';
import type { PostgresBinaries } from './postgres-binaries.js';
import { runCommand, type RunAs } from './run-command.js';
import { readLogTail } from './server-log.js';

const WAIT_SECONDS = 60;

/**
 * Server settings passed on every start (so they also apply to clusters made by older versions).
 * TCP on 127.0.0.1 only; unix sockets disabled (`unix_socket_directories = ''`) so nothing is
 * written to /var/run/postgresql or /tmp. fsync and friends stay at their safe defaults.
 */
export const SERVER_SETTINGS: Readonly<Record<string, string>> = {
  max_connections: '200',
  shared_buffers: '128MB',
};

/** pg_ctl hands `-o` to `/bin/sh -c "exec postgres ..."`, so every argument is single-quoted. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function serverArguments(port: number): string[] {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-k', ''];
  for (const [name, value] of Object.entries(SERVER_SETTINGS)) args.push('-c', `${name}=${value}`);
  return args;
}

/** `pg_ctl start -w`: returns once the server accepts connections; throws with the log tail otherwise. */
export async function pgCtlStart(
  binaries: PostgresBinaries,
  location: ClusterLocation,
  port: number,
  user: RunAs | undefined,
): Promise<void> {
  const options = serverArguments(port).map(shellQuote).join(' ');
  await runCommand(
    binaries.pgCtl,
    [
      'start',
      '-w',
      '-t',
      String(WAIT_SECONDS),
      '-D',
      location.clusterDir,
      '-l',
      location.logFile,
      '-o',
      options,
    ],
    {
      runAs: user,
      timeoutMs: (WAIT_SECONDS + 15) * 1000,
      failureContext: () => readLogTail(location.logFile),
    },
  );
}

/** `pg_ctl stop -m fast -w`: disconnects clients, checkpoints and waits for the server to exit. */
export async function pgCtlStop(
  binaries: PostgresBinaries,
  location: ClusterLocation,
  user: RunAs | undefined,
): Promise<void> {
  await runCommand(
    binaries.pgCtl,
    ['stop', '-w', '-t', String(WAIT_SECONDS), '-m', 'fast', '-D', location.clusterDir],
    {
      runAs: user,
      timeoutMs: (WAIT_SECONDS + 15) * 1000,
      failureContext: () => readLogTail(location.logFile),
    },
  );
}
