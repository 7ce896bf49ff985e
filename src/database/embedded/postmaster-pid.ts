import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** The parts of `<cluster>/postmaster.pid` we use (line 1 pid, 4 port, 6 listen address, 8 status). */
export interface PostmasterPid {
  readonly pid: number;
  readonly port: number;
  readonly listenAddress: string;
  /** `starting`, `ready`, `stopping`, `standby`, or '' while the postmaster is still writing the file. */
  readonly status: string;
}

export type ServerState =
  | { readonly kind: 'stopped' }
  /**
   * postmaster.pid names a process that is gone (`gone`: the postmaster itself copes with that and
   * checks that no old backend still uses the shared memory), or one that is not a live postgres
   * (`foreign`: pid reused after a reboot/container restart, or a zombie) which the postmaster
   * would mistake for a running server.
   */
  | { readonly kind: 'stale'; readonly pid: number; readonly reason: 'gone' | 'foreign' }
  | { readonly kind: 'running'; readonly info: PostmasterPid };

export function postmasterPidFile(clusterDir: string): string {
  return path.join(clusterDir, 'postmaster.pid');
}

export async function readPostmasterPid(clusterDir: string): Promise<PostmasterPid | undefined> {
  let text: string;
  try {
    text = await readFile(postmasterPidFile(clusterDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    port: Number.parseInt(lines[3] ?? '', 10),
    listenAddress: (lines[5] ?? '').trim(),
    status: (lines[7] ?? '').trim(),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * False when /proc shows the pid is not a live postgres: another program (pid reused after a
 * reboot or container restart) or a zombie (possible when the app runs as PID 1 and inherits the
 * postmaster). Without /proc we trust the pid.
 */
async function isLivePostgres(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "<pid> (<comm>) <state> ..." - comm may contain spaces/parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const state = stat.slice(close + 2, close + 3);
    return (comm === 'postgres' || comm === 'postmaster') && state !== 'Z' && state !== 'X';
  } catch {
    // No /proc at all: trust the pid. /proc but no entry: the process just exited.
    return !(await hasProcfs());
  }
}

async function hasProcfs(): Promise<boolean> {
  try {
    await access('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

/** What postmaster.pid says about the cluster, with the process checked for liveness. */
export async function inspectServer(clusterDir: string): Promise<ServerState> {
  const info = await readPostmasterPid(clusterDir);
  if (!info) return { kind: 'stopped' };
  if (!isAlive(info.pid)) return { kind: 'stale', pid: info.pid, reason: 'gone' };
  if (!(await isLivePostgres(info.pid))) return { kind: 'stale', pid: info.pid, reason: 'foreign' };
  return { kind: 'running', info };
}

export async function removeStalePidFile(clusterDir: string): Promise<void> {
  await rm(postmasterPidFile(clusterDir), { force: true });
}

/**
 * Waits until the server described by postmaster.pid is ready to accept connections, or no
 * longer running (e.g. it was shutting down). Resolves with the final state.
 */
export async function waitForSettledServer(
  clusterDir: string,
  timeoutMs: number,
): Promise<ServerState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await inspectServer(clusterDir);
    const settled =
      state.kind !== 'running' ||
      ((state.info.status === 'ready' || state.info.status === 'standby') &&
        Number.isInteger(state.info.port));
    if (settled || Date.now() >= deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
