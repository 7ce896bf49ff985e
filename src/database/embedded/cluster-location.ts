import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { canTraverse } from './os-user.js';
import type { RunAs } from './run-command.js';

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** Where the cluster lives: `<baseDir>/postgres`, with the server log at `<baseDir>/postgres.log`. */
export interface ClusterLocation {
  readonly baseDir: string;
  readonly clusterDir: string;
  readonly logFile: string;
  /** True when the app's data dir was unreachable for the postgres user and a fallback is used. */
  readonly fallback: boolean;
}

export const DEFAULT_FALLBACK_ROOT = '/var/tmp/longhaul-pg-data';

function locationIn(baseDir: string, fallback: boolean): ClusterLocation {
  return {
    baseDir,
    clusterDir: path.join(baseDir, 'postgres'),
    logFile: path.join(baseDir, 'postgres.log'),
    fallback,
  };
}

/** The fallback folder for a given data dir: stable per absolute DATA_DIR, distinct across checkouts. */
export function fallbackBaseDir(dataDir: string, fallbackRoot: string): string {
  const digest = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join(fallbackRoot, digest);
}

/** The fallback root sits in a world-writable place, so it must be a real root-owned directory. */
async function ensureTrustedRoot(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const stats = await lstat(dir);
  if (!stats.isDirectory() || stats.uid !== 0 || (stats.mode & 0o022) !== 0) {
    throw new Error(
      `Refusing to use ${dir} for the embedded PostgreSQL data: it must be a root-owned directory not writable ` +
        `by group/others (found uid ${stats.uid}, mode ${(stats.mode & 0o7777).toString(8)}).`,
    );
  }
  await chmod(dir, 0o755);
}

/** Makes sure the server log exists and is writable by the server's OS user (pg_ctl opens it as that user). */
async function ensureLogFile(logFile: string, user: RunAs | undefined): Promise<void> {
  const handle = await open(logFile, 'a', 0o640);
  await handle.close();
  if (user) await chown(logFile, user.uid, user.gid);
}

/**
 * Decides where the cluster lives and prepares the folders. As an ordinary user that is simply
 * `<dataDir>/postgres`. As root the server runs as `user`, which must be able to traverse every
 * ancestor of the data dir; if it cannot (e.g. a checkout under /root, mode 0700) we fall back to
 * `<fallbackRoot>/<sha256(abs dataDir)[0..16]>` and warn.
 */
export async function prepareClusterLocation(
  dataDir: string,
  user: RunAs | undefined,
  fallbackRoot: string,
  log: Log,
): Promise<ClusterLocation> {
  const absoluteDataDir = path.resolve(dataDir);
  await mkdir(absoluteDataDir, { recursive: true });

  let location = locationIn(absoluteDataDir, false);
  if (user && !(await canTraverse(absoluteDataDir, user))) {
    location = locationIn(fallbackBaseDir(absoluteDataDir, fallbackRoot), true);
    log(
      `embedded postgres: WARNING the data dir ${absoluteDataDir} is not reachable by the OS user "${user.name}" ` +
        `(an ancestor folder is not traversable for it); keeping the PostgreSQL cluster in ${location.baseDir} instead. ` +
        `Data there is NOT inside DATA_DIR. Make the data dir traversable (chmod o+x on its ancestors) or ` +
        `put DATA_DIR elsewhere to keep the database with the app data.`,
      { dataDir: absoluteDataDir, fallbackDir: location.baseDir, user: user.name, level: 'warn' },
    );
    await ensureTrustedRoot(fallbackRoot);
    await mkdir(location.baseDir, { recursive: true, mode: 0o700 });
    await chown(location.baseDir, user.uid, user.gid);
    await chmod(location.baseDir, 0o700);
    if (!(await canTraverse(location.baseDir, user))) {
      throw new Error(
        `Fallback data dir ${location.baseDir} is not reachable by the OS user "${user.name}" either`,
      );
    }
  }
  await ensureLogFile(location.logFile, user);
  return location;
}
