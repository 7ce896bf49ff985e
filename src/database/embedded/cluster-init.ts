import { randomBytes } from 'node:crypto';
import { access, chown, lchown, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ClusterLocation } from './cluster-location.js';
import type { PostgresBinaries } from './postgres-binaries.js';
import { inspectServer } from './postmaster-pid.js';
import { runCommand, type RunAs } from './run-command.js';

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** The database superuser created by initdb (trust auth, reachable only on 127.0.0.1). */
export const SUPERUSER = 'postgres';

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function chownTree(dir: string, user: RunAs): Promise<void> {
  await lchown(dir, user.uid, user.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, user);
    else await lchown(full, user.uid, user.gid);
  }
}

/** A cluster made by another uid (e.g. an earlier non-root run) is handed over to the server's user, unless it is live. */
async function fixOwnership(location: ClusterLocation, user: RunAs, log: Log): Promise<void> {
  const stats = await lstat(location.clusterDir);
  if (stats.uid === user.uid) return;
  if ((await inspectServer(location.clusterDir)).kind === 'running') return;
  log('embedded postgres: handing the cluster over to its OS user', {
    clusterDir: location.clusterDir,
    fromUid: stats.uid,
    user: user.name,
  });
  await chownTree(location.clusterDir, user);
}

/**
 * Runs initdb unless the cluster already exists (PG_VERSION present). initdb writes into a
 * temporary sibling folder that is renamed into place, so a crash mid-initdb never leaves a
 * half-made cluster behind and concurrent first starts cannot clobber each other.
 * Returns true when a new cluster was created.
 */
export async function ensureCluster(
  binaries: PostgresBinaries,
  location: ClusterLocation,
  user: RunAs | undefined,
  log: Log,
): Promise<boolean> {
  const { clusterDir } = location;
  if (await exists(path.join(clusterDir, 'PG_VERSION'))) {
    if (user) await fixOwnership(location, user, log);
    return false;
  }
  const leftovers = await readdir(clusterDir).catch(() => []);
  if (leftovers.length > 0) {
    throw new Error(
      `${clusterDir} exists and is not empty but has no PG_VERSION, so it is not a PostgreSQL cluster; ` +
        'move it away (or empty it) and start again.',
    );
  }

  const started = Date.now();
  const temp = `${clusterDir}.initdb-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(temp, { mode: 0o700 });
  try {
    if (user) await chown(temp, user.uid, user.gid);
    await runCommand(
      binaries.initdb,
      [
        '-D',
        temp,
        '-U',
        SUPERUSER,
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-instructions',
      ],
      { runAs: user },
    );
    try {
      await rename(temp, clusterDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const raced =
        (code === 'EEXIST' || code === 'ENOTEMPTY') &&
        (await exists(path.join(clusterDir, 'PG_VERSION')));
      if (!raced) throw error;
      log('embedded postgres: another process initialised the cluster first', { clusterDir });
      return false;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  log('embedded postgres: initialised a new cluster', { clusterDir, ms: Date.now() - started });
  return true;
}
