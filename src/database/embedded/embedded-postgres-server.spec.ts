import { chmod, mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fallbackBaseDir } from './cluster-location.js';
import {
  EmbeddedPostgresServer,
  type EmbeddedPostgresOptions,
} from './embedded-postgres-server.js';

const TIMEOUT = 120_000;
const isRoot = process.getuid?.() === 0;

interface LogEntry {
  message: string;
  fields?: Record<string, unknown>;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('EmbeddedPostgresServer', () => {
  let root: string;
  const servers: EmbeddedPostgresServer[] = [];
  const logs: LogEntry[] = [];

  function server(options: Omit<EmbeddedPostgresOptions, 'log'>): EmbeddedPostgresServer {
    const instance = new EmbeddedPostgresServer({
      ...options,
      log: (message, fields) => logs.push({ message, fields }),
    });
    servers.push(instance);
    return instance;
  }

  /** A data dir the postgres OS user can reach (mkdtemp makes 0700 folders). */
  async function dataDir(name: string): Promise<string> {
    const dir = path.join(root, name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'longhaul-embedded-pg-spec-'));
    await chmod(root, 0o755);
  });

  afterAll(async () => {
    for (const instance of servers.reverse()) await instance.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }, TIMEOUT);

  it(
    'initialises, serves queries and advisory locks, and keeps data across a restart',
    async () => {
      const dir = await dataDir('persist');
      const first = server({ dataDir: dir });
      const { url } = await first.start();
      expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/longhaul$/);
      expect(await stat(path.join(dir, 'postgres', 'PG_VERSION'))).toBeTruthy();

      const [{ version }] = await query<{ version: string }>(url, 'select version()');
      expect(version).toMatch(/^PostgreSQL 18\./);
      const [{ locked }] = await query<{ locked: boolean }>(
        url,
        'select pg_try_advisory_lock(4242) as locked',
      );
      expect(locked).toBe(true);
      await query(url, "create table survivors (name text); insert into survivors values ('kept')");
      await first.stop();

      const second = server({ dataDir: dir });
      const restarted = await second.start();
      const rows = await query<{ name: string }>(restarted.url, 'select name from survivors');
      expect(rows).toEqual([{ name: 'kept' }]);
      await second.stop();
    },
    TIMEOUT,
  );

  it(
    'reuses a server already running on the data dir and leaves it running on stop()',
    async () => {
      const dir = await dataDir('reuse');
      const owner = server({ dataDir: dir, database: 'other_db' });
      const { url } = await owner.start();

      // Same as after a SIGKILL of the app: the server is still running when a new instance starts.
      const second = server({ dataDir: dir, database: 'other_db' });
      const reused = await second.start();
      expect(reused.url).toBe(url);
      expect(logs.some((entry) => entry.message.includes('reusing'))).toBe(true);

      await second.stop();
      const [{ one }] = await query<{ one: number }>(url, 'select 1 as one');
      expect(one).toBe(1);
      await owner.stop();
    },
    TIMEOUT,
  );

  it(
    'starts over a stale postmaster.pid whose pid now belongs to another process',
    async () => {
      const dir = await dataDir('stale');
      const first = server({ dataDir: dir });
      await first.start();
      await first.stop();

      // After a reboot/container restart the recorded pid can belong to anything (here: this jest worker).
      const pidFile = path.join(dir, 'postgres', 'postmaster.pid');
      await writeFile(
        pidFile,
        `${process.pid}\n${path.join(dir, 'postgres')}\n0\n5999\n\n127.0.0.1\n0 0\nready\n`,
      );

      const second = server({ dataDir: dir });
      const { url } = await second.start();
      const [{ one }] = await query<{ one: number }>(url, 'select 1 as one');
      expect(one).toBe(1);
      expect((await readFile(pidFile, 'utf8')).split('\n')[0]).not.toBe(String(process.pid));
      await second.stop();
    },
    TIMEOUT,
  );

  it(
    'fails with the command and the server log when the port is taken',
    async () => {
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as net.AddressInfo).port;
      try {
        const instance = server({ dataDir: await dataDir('port-clash'), port });
        const failure = instance.start();
        await expect(failure).rejects.toThrow(/pg_ctl.* start/);
        await expect(failure).rejects.toThrow(/could not bind|Address already in use/);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    },
    TIMEOUT,
  );

  it(
    'a data dir the server user cannot reach: as root (the server runs as postgres) another folder is used; otherwise the dir itself',
    async () => {
      const fallbackRoot = path.join(root, 'fallback');
      const hidden = path.join(root, 'private');
      await mkdir(hidden, { mode: 0o700 });
      await chmod(hidden, 0o700);
      const dir = path.join(hidden, 'data');

      const instance = server({ dataDir: dir, fallbackDataRoot: fallbackRoot });
      const { url } = await instance.start();
      const [{ one }] = await query<{ one: number }>(url, 'select 1 as one');
      expect(one).toBe(1);
      // Only root hands the cluster to another OS user, who cannot enter a 0700 folder of root's.
      const clusterDir = path.join(isRoot ? fallbackBaseDir(dir, fallbackRoot) : dir, 'postgres');
      expect(await stat(path.join(clusterDir, 'PG_VERSION'))).toBeTruthy();
      expect(
        logs.some((entry) => entry.message.includes('WARNING') && entry.fields?.['fallbackDir']),
      ).toBe(isRoot);
      await instance.stop();
    },
    TIMEOUT,
  );
});
