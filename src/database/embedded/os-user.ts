import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { CommandFailedError, runCommand, type RunAs } from './run-command.js';

type Log = (message: string, fields?: Record<string, unknown>) => void;

async function lookupUser(name: string): Promise<RunAs | undefined> {
  try {
    const uid = Number((await runCommand('id', ['-u', name])).stdout.trim());
    const gid = Number((await runCommand('id', ['-g', name])).stdout.trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) return undefined;
    return { name, uid, gid };
  } catch (error) {
    if (error instanceof CommandFailedError) return undefined;
    throw error;
  }
}

async function commandExists(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function groupExists(name: string): Promise<boolean> {
  try {
    await runCommand('getent', ['group', name]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the uid/gid of the OS user PostgreSQL runs as, creating a system user if it does not
 * exist yet. Only meaningful (and only called) when we are root: PostgreSQL refuses to run as root.
 */
export async function ensureOsUser(name: string, log: Log): Promise<RunAs> {
  const existing = await lookupUser(name);
  if (existing) return existing;

  log('embedded postgres: creating OS user', { user: name });
  try {
    if (await commandExists('/usr/sbin/useradd')) {
      const groupArgs = (await groupExists(name)) ? ['--gid', name] : ['--user-group'];
      await runCommand('/usr/sbin/useradd', [
        '--system',
        ...groupArgs,
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        name,
      ]);
    } else {
      // BusyBox (Alpine): -S system user, -D no password, -H no home.
      await runCommand('adduser', ['-S', '-D', '-H', '-s', '/sbin/nologin', name]);
    }
  } catch (error) {
    // Another process may have created it concurrently; only fail if it still does not exist.
    const raced = await lookupUser(name);
    if (raced) return raced;
    throw new Error(
      `Could not create the OS user "${name}" that the embedded PostgreSQL runs as ` +
        `(PostgreSQL refuses to run as root): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const created = await lookupUser(name);
  if (!created) throw new Error(`OS user "${name}" still missing after creating it`);
  return created;
}

/**
 * True when `user` can reach `dir` (search permission on the directory and every ancestor).
 * Checked by actually running `test -x` as that user, so groups, ACLs and mount options count.
 */
export async function canTraverse(dir: string, user: RunAs): Promise<boolean> {
  try {
    await runCommand('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], {
      runAs: user,
      timeoutMs: 10_000,
    });
    return true;
  } catch (error) {
    if (error instanceof CommandFailedError) return false;
    throw error;
  }
}
