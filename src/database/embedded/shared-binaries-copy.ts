import { randomBytes } from 'node:crypto';
import { access, chmod, cp, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { binariesIn, type PostgresBinaries } from './postgres-binaries.js';

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** Files whose absence means the copy is incomplete (e.g. partly removed by a /tmp cleaner). */
const REQUIRED_FILES = [
  'bin/initdb',
  'bin/pg_ctl',
  'bin/postgres',
  'lib/libicuuc.so.60',
  'share/postgresql/postgres.bki',
  'share/postgresql/postgresql.conf.sample',
];

async function isComplete(dir: string): Promise<boolean> {
  try {
    await Promise.all(REQUIRED_FILES.map((file) => access(path.join(dir, file), constants.R_OK)));
    return true;
  } catch {
    return false;
  }
}

/** A shared folder in a world-writable place must be ours: a real directory, owned by root, not writable by others. */
async function assertTrusted(dir: string): Promise<void> {
  const stats = await lstat(dir);
  if (!stats.isDirectory() || stats.uid !== 0 || (stats.mode & 0o022) !== 0) {
    throw new Error(
      `Refusing to use ${dir} for the embedded PostgreSQL binaries: it must be a directory owned by root ` +
        `and not writable by group/others (found uid ${stats.uid}, mode ${(stats.mode & 0o7777).toString(8)}, ` +
        `${stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'directory' : 'file'}). Remove it and retry.`,
    );
  }
}

/** Makes the tree readable (and executables runnable) by everyone, without following symlinks. */
async function makeWorldReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      await makeWorldReadable(full);
    } else {
      const { mode } = await lstat(full);
      await chmod(full, mode & 0o111 ? 0o755 : 0o644);
    }
  }
}

function isAlreadyThere(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY';
}

/**
 * When we are root the package's `native/` folder may sit somewhere the postgres user cannot read
 * (e.g. a checkout under /root). Copies it once per package version to `<cacheDir>/longhaul-embedded-pg-<version>`
 * (root-owned, world-readable). The copy is built under a temporary name and renamed into place, so
 * concurrent starts never see (or produce) a half-written folder. Symlinks are copied verbatim.
 */
export async function ensureSharedBinariesCopy(
  source: PostgresBinaries,
  cacheDir: string,
  log: Log,
): Promise<PostgresBinaries> {
  const target = path.join(cacheDir, `longhaul-embedded-pg-${source.version}`);
  const result = binariesIn(target, source.version);

  const existing = await lstat(target).catch(() => undefined);
  if (existing) {
    await assertTrusted(target);
    if (await isComplete(target)) return result;
    log('embedded postgres: shared binaries copy is incomplete, replacing it', { dir: target });
    const broken = `${target}.broken-${process.pid}-${randomBytes(4).toString('hex')}`;
    await rename(target, broken).catch(() => undefined);
    await rm(broken, { recursive: true, force: true });
  }

  const started = Date.now();
  await mkdir(cacheDir, { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await cp(source.nativeDir, temp, {
      recursive: true,
      verbatimSymlinks: true,
      preserveTimestamps: true,
    });
    await makeWorldReadable(temp);
    try {
      await rename(temp, target);
      log('embedded postgres: copied binaries for the postgres user', {
        from: source.nativeDir,
        to: target,
        ms: Date.now() - started,
      });
    } catch (error) {
      if (!isAlreadyThere(error)) throw error;
      // Another process won the race; its copy is complete by construction.
      await assertTrusted(target);
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  if (!(await isComplete(target)))
    throw new Error(`Embedded PostgreSQL binaries copy at ${target} is incomplete`);
  return result;
}
