import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { migrate } from '../src/database/migrate.js';
import { typeOrmOptions } from '../src/database/typeorm-options.js';
import type { JobFence, NewJob } from '../src/jobs/job.js';
import { JobsRepository } from '../src/jobs/jobs.repository.js';
import { SchedulerLockFence } from '../src/scheduler/lock/adapters/scheduler-lock-fence.js';
import { StaleFencingTokenError } from '../src/scheduler/lock/stale-fencing-token.error.js';
import { PostgresSchedulerLockProvider } from '../src/scheduler/lock/adapters/postgres-scheduler-lock.provider.js';
import type {
  AcquiredLock,
  LockConfiguration,
} from '../src/scheduler/lock/scheduler-lock.provider.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitFor } from './support/wait-for.js';

/** The PostgreSQL lock provider against a real server: each "node" is its own connection pool. */
describe('scheduler lock on PostgreSQL', () => {
  let schema: TestSchema;
  const pools: DataSource[] = [];

  async function node(): Promise<{
    locks: PostgresSchedulerLockProvider;
    jobs: JobsRepository;
    db: DataSource;
  }> {
    const db = new DataSource(
      typeOrmOptions({ url: schema.env.DATABASE_URL, schema: schema.name }, 4),
    );
    await db.initialize();
    pools.push(db);
    return { locks: new PostgresSchedulerLockProvider(db), jobs: new JobsRepository(db), db };
  }

  const dbNow = async (): Promise<Date> =>
    (await schema.query<{ now: Date }>('SELECT clock_timestamp() AS now'))[0].now;
  const lockRow = async (name: string) =>
    (
      await schema.query<{
        lock_until: Date;
        locked_at: Date;
        locked_by: string;
        fencing_token: string;
      }>(
        'SELECT lock_until, locked_at, locked_by, fencing_token FROM scheduler_locks WHERE name = $1',
        [name],
      )
    )[0];
  const lock = (name: string, lockAtMostFor: number, lockAtLeastFor = 0): LockConfiguration => ({
    name,
    lockAtMostFor,
    lockAtLeastFor,
  });

  beforeAll(async () => {
    schema = await createTestSchema('sched_lock');
    await migrate({ url: schema.env.DATABASE_URL, schema: schema.name });
  });

  afterAll(async () => {
    await Promise.all(pools.map((db) => db.destroy()));
    await schema?.drop();
  });

  it('lets exactly one of many racing nodes take a free lock; the others skip at once', async () => {
    const nodes = await Promise.all(Array.from({ length: 6 }, () => node()));
    const config = lock('race', 10_000);
    const results = await Promise.all(nodes.map((n, i) => n.locks.tryAcquire(config, `node-${i}`)));
    const winners = results.filter((result): result is AcquiredLock => result !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0].fencingToken).toBe('1');
    expect((await lockRow('race')).locked_by).toBe(winners[0].lockedBy);
    // While held, nobody else gets it.
    expect(await nodes[0].locks.tryAcquire(config, 'late')).toBeNull();
  });

  it('takes its times from the database clock, not the node clock', async () => {
    const a = await node();
    const before = await dbNow();
    // Skew this node's clock by three hours: the lock must not notice.
    jest.useFakeTimers({
      now: Date.now() + 3 * 3_600_000,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'clearImmediate',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    let held: AcquiredLock | null;
    try {
      expect(Math.abs(Date.now() - before.getTime())).toBeGreaterThan(3_600_000);
      held = await a.locks.tryAcquire(lock('db-clock', 5000), 'skewed-node');
    } finally {
      jest.useRealTimers();
    }
    const after = await dbNow();
    expect(held).not.toBeNull();
    const row = await lockRow('db-clock');
    expect(row.locked_at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(row.locked_at.getTime()).toBeLessThanOrEqual(after.getTime());
    expect(row.lock_until.getTime() - row.locked_at.getTime()).toBe(5000);
    // lock_until against `select now()`: lockAtMostFor ahead of the database's clock.
    const [{ ahead }] = await schema.query<{ ahead: number }>(
      `SELECT extract(epoch FROM lock_until - now()) * 1000 AS ahead FROM scheduler_locks WHERE name = 'db-clock'`,
    );
    expect(Number(ahead)).toBeGreaterThan(3000);
    expect(Number(ahead)).toBeLessThanOrEqual(5000);
  });

  it('holds the lock at least lockAtLeastFor after a quick release, then frees it', async () => {
    const [a, b] = [await node(), await node()];
    const config = lock('at-least', 30_000, 1500);
    const first = (await a.locks.tryAcquire(config, 'a'))!;
    await a.locks.release(first, config);
    const released = await lockRow('at-least');
    expect(released.lock_until.getTime() - released.locked_at.getTime()).toBe(1500);
    expect(await b.locks.tryAcquire(config, 'b')).toBeNull();

    const second = await waitFor(() => b.locks.tryAcquire(config, 'b'), {
      timeoutMs: 10_000,
      what: 'the lock to free after lockAtLeastFor',
    });
    expect(second.lockedAt.getTime()).toBeGreaterThanOrEqual(first.lockedAt.getTime() + 1500);
    expect(BigInt(second.fencingToken)).toBe(BigInt(first.fencingToken) + 1n);
  });

  it('frees the lock right away on release once lockAtLeastFor has passed', async () => {
    const [a, b] = [await node(), await node()];
    const config = lock('release', 30_000, 0);
    const first = (await a.locks.tryAcquire(config, 'a'))!;
    expect(await b.locks.tryAcquire(config, 'b')).toBeNull();
    await a.locks.release(first, config);
    expect(await b.locks.tryAcquire(config, 'b')).not.toBeNull();
  });

  it('lets a holder that never releases keep the lock only until lockAtMostFor', async () => {
    const [a, b] = [await node(), await node()];
    const config = lock('at-most', 1500);
    const first = (await a.locks.tryAcquire(config, 'a'))!;
    let refused = 0;
    const second = await waitFor(
      async () => {
        const taken = await b.locks.tryAcquire(config, 'b');
        if (!taken) refused += 1;
        return taken;
      },
      { timeoutMs: 10_000, what: 'lockAtMostFor to expire' },
    );
    expect(refused).toBeGreaterThan(0);
    expect(second.lockedAt.getTime()).toBeGreaterThanOrEqual(first.lockUntil.getTime());
    expect(BigInt(second.fencingToken)).toBe(BigInt(first.fencingToken) + 1n);
    // The old holder's late release must not free the new holder's lock.
    await a.locks.release(first, config);
    const row = await lockRow('at-most');
    expect(row.fencing_token).toBe(second.fencingToken);
    expect(row.lock_until.getTime()).toBe(second.lockUntil.getTime());
  });

  it('frees the lock of a holder process killed while holding it, after lockAtMostFor', async () => {
    const crashed = await acquireInChildThenKill(schema, 'crash', 2000);
    const b = await node();
    expect(await b.locks.tryAcquire(lock('crash', 2000), 'survivor')).toBeNull();
    const taken = await waitFor(() => b.locks.tryAcquire(lock('crash', 2000), 'survivor'), {
      timeoutMs: 10_000,
      what: 'the crashed holder’s lock to expire',
    });
    expect(taken.lockedAt.getTime()).toBeGreaterThanOrEqual(new Date(crashed.lock_until).getTime());
    expect(BigInt(taken.fencingToken)).toBe(BigInt(crashed.fencing_token) + 1n);
  });

  it('grows the fencing token by one with every acquisition', async () => {
    const a = await node();
    const config = lock('tokens', 10_000);
    const tokens: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const held = (await a.locks.tryAcquire(config, 'a'))!;
      tokens.push(BigInt(held.fencingToken));
      await a.locks.release(held, config);
    }
    expect(tokens).toEqual([1n, 2n, 3n, 4n, 5n]);
  });

  describe('fencing: jobs created under a lock', () => {
    const newJob = <F extends JobFence | null>(key: string, fence: F): NewJob & { fence: F } => ({
      id: randomUUID(),
      type: 'sleep',
      payload: {},
      priority: 0,
      maxAttempts: 1,
      runAt: null,
      delayMs: 0,
      runTimeoutMs: null,
      queueTtlMs: null,
      idempotencyKey: key,
      requestHash: 'h',
      owner: 'scheduler',
      tenant: 'default',
      callbackUrl: null,
      scheduleId: null,
      scheduleFireTime: null,
      fence,
    });

    /** What JobsService does for scheduled work: the fence checked and held in the inserting transaction. */
    const insertFenced = (node: { db: DataSource; jobs: JobsRepository }, job: NewJob & { fence: JobFence }) =>
      node.db.transaction(async (tx) => {
        await new SchedulerLockFence().assertHolds(job.fence, tx);
        return (await node.jobs.insertMany([job], tx))[0];
      });

    it('refuses a job from a node whose token is stale, accepts the current holder’s, and stores the token', async () => {
      const [a, b] = [await node(), await node()];
      const config = lock('fenced', 1000);
      const old = (await a.locks.tryAcquire(config, 'a'))!;
      const current = await waitFor(() => b.locks.tryAcquire(config, 'b'), {
        timeoutMs: 10_000,
        what: 'b to take over',
      });

      const staleFence = { lockName: 'fenced', token: old.fencingToken };
      await expect(
        insertFenced(a, newJob('fire-1', staleFence)),
      ).rejects.toBeInstanceOf(StaleFencingTokenError);
      const created = await insertFenced(b, 
        newJob('fire-1', { lockName: 'fenced', token: current.fencingToken }),
      );
      expect(created.created).toBe(true);
      expect(created.job.fencingToken).toBe(current.fencingToken);
      // Stale even for a fire the current holder has already made: it may not touch it.
      await expect(
        insertFenced(a, newJob('fire-1', staleFence)),
      ).rejects.toBeInstanceOf(StaleFencingTokenError);
      const [{ count }] = await schema.query<{ count: string }>(
        `SELECT count(*) FROM jobs WHERE idempotency_key = 'fire-1'`,
      );
      expect(count).toBe('1');
    });

    it('refuses a job once the holder’s own lock has expired, even before anyone takes it over', async () => {
      const a = await node();
      const held = (await a.locks.tryAcquire(lock('expired', 500), 'a'))!;
      await waitFor(async () => (await dbNow()).getTime() > held.lockUntil.getTime(), {
        what: 'the lock to expire',
      });
      await expect(
        insertFenced(a, 
          newJob('late', { lockName: 'expired', token: held.fencingToken }),
        ),
      ).rejects.toBeInstanceOf(StaleFencingTokenError);
    });

    it('makes one job when two nodes fire the same time with the same key at once', async () => {
      const [a, b] = [await node(), await node()];
      const held = (await a.locks.tryAcquire(lock('twice', 10_000), 'a'))!;
      const fence = { lockName: 'twice', token: held.fencingToken };
      const results = await Promise.all([
        insertFenced(a, newJob('same-fire', fence)),
        insertFenced(b, newJob('same-fire', fence)),
      ]);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(results[0].job.id).toBe(results[1].job.id);
    });

    it('leaves jobs without a fence (HTTP, Kafka) alone', async () => {
      const a = await node();
      const [created] = await a.jobs.insertMany([newJob('plain', null)]);
      expect(created.created).toBe(true);
      expect(created.job.fencingToken).toBeNull();
    });
  });
});

interface ChildLock {
  fencing_token: string;
  lock_until: string;
}

/** A separate process takes the lock with the provider's SQL, then is SIGKILLed: it never releases. */
async function acquireInChildThenKill(
  schema: TestSchema,
  name: string,
  lockAtMostFor: number,
): Promise<ChildLock> {
  const sqlModule = resolve('dist/scheduler/scheduler.sql.js');
  const script = `
    import pg from 'pg';
    import { LockSql } from ${JSON.stringify(sqlModule)};
    const client = new pg.Client({ connectionString: ${JSON.stringify(schema.env.DATABASE_URL)}, options: '-c search_path=${schema.name}' });
    await client.connect();
    const { rows } = await client.query(LockSql.acquire, [${JSON.stringify(name)}, ${lockAtMostFor}, 'doomed-node']);
    process.stdout.write(JSON.stringify(rows[0]) + '\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve('.'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((done) => child.once('exit', done));
  try {
    const line = await waitFor(() => output.split('\n').find((text) => text.startsWith('{')), {
      timeoutMs: 10_000,
      what: () => `the child to take the lock: ${output}`,
    });
    return JSON.parse(line) as ChildLock;
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
