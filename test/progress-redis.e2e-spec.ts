import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ProgressSettings } from '../src/config/app-config.js';
import type { JobsRepository } from '../src/jobs/jobs.repository.js';
import { ProgressRedis } from '../src/progress/adapters/progress-redis.js';
import { RedisProgressTracker } from '../src/progress/adapters/redis-progress-tracker.js';
import { decodeChange } from '../src/progress/events/progress-change.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { privateRedis, type PrivateRedis } from './support/redis-server.js';
import { SseStream } from './support/sse-client.js';
import { waitFor } from './support/wait-for.js';

const settings = (overrides: Partial<ProgressSettings> = {}): ProgressSettings => ({
  ttlSeconds: 120,
  liveIntervalMs: 100,
  rowIntervalMs: 1000,
  keyPrefix: `e2e-${randomBytes(4).toString('hex')}:`,
  redisTimeoutMs: 300,
  sseHeartbeatMs: 15_000,
  sseMaxDurationMs: 300_000,
  sseRetryMs: 2000,
  sseMaxStreamsPerKey: 50,
  ...overrides,
});

interface RowWrite {
  jobId: string;
  attempt: number;
  percent: number;
  message: string | null;
}

/** The adapter as the app builds it, with the job row recorded instead of written. */
function buildTracker(url: string, progressSettings: ProgressSettings) {
  const rowWrites: RowWrite[] = [];
  const jobs = {
    recordProgress: (jobId: string, attempt: number, percent: number, message: string | null) => {
      rowWrites.push({ jobId, attempt, percent, message });
      return Promise.resolve();
    },
  } as unknown as JobsRepository;
  const connection = new ProgressRedis(url, progressSettings);
  const tracker = new RedisProgressTracker(progressSettings, connection, jobs, new EventEmitter2());
  return { tracker, connection, rowWrites };
}

/** Script runs (EVALSHA/EVAL) the server has answered: each is one atomic HSET + EXPIRE + PUBLISH. */
async function scriptCalls(redis: PrivateRedis): Promise<number> {
  const stats = await redis.cli('info', 'commandstats');
  let calls = 0;
  for (const match of stats.matchAll(/cmdstat_(evalsha|eval):calls=(\d+)/g))
    calls += Number(match[2]);
  return calls;
}

describe('the Redis progress adapter against a real Redis', () => {
  let redis: PrivateRedis;
  const open: ProgressRedis[] = [];
  const build = (overrides: Partial<ProgressSettings> = {}) => {
    const built = buildTracker(redis.url, settings(overrides));
    open.push(built.connection);
    return built;
  };

  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((connection) => connection.onApplicationShutdown()));
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('keeps hash job:progress:{id} with percent, message and updatedAt, expiring after the TTL', async () => {
    const { tracker, connection, rowWrites } = build({ ttlSeconds: 120 });
    expect(await connection.waitUntilReady()).toBe(true);
    const jobId = randomUUID();
    tracker.report(jobId, 1, 42.7, 'reading rows');
    await tracker.flush(jobId);

    const key = connection.key(jobId);
    expect(key).toMatch(/^e2e-[0-9a-f]{8}:job:progress:/);
    const hash = await connection.client.hgetall(key);
    expect(hash).toMatchObject({ percent: '42', message: 'reading rows', attempt: '1' });
    expect(new Date(hash.updatedAt).toISOString()).toBe(hash.updatedAt);
    expect(Math.abs(Date.parse(hash.updatedAt) - Date.now())).toBeLessThan(5000);
    const ttl = await connection.client.ttl(key);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    // The row gets the same value (status survives losing Redis).
    expect(rowWrites).toEqual([{ jobId, attempt: 1, percent: 42, message: 'reading rows' }]);
    expect(await tracker.get(jobId)).toMatchObject({
      jobId,
      attempt: 1,
      percent: 42,
      message: 'reading rows',
      updatedAt: hash.updatedAt,
    });
  });

  it('coalesces 10,000 reports in one second into a handful of Redis writes, each published once', async () => {
    const { tracker, connection, rowWrites } = build({ liveIntervalMs: 100, rowIntervalMs: 1000 });
    await connection.waitUntilReady();
    const jobId = randomUUID();
    const subscriber = new Redis(redis.url);
    const published: number[] = [];
    subscriber.on('message', (_channel: string, message: string) => {
      const change = decodeChange(message);
      if (change?.kind === 'progress' && change.snapshot.jobId === jobId)
        published.push(change.snapshot.percent);
    });
    await subscriber.subscribe(connection.channel);
    try {
      const before = await scriptCalls(redis);
      const started = Date.now();
      for (let batch = 1; batch <= 100; batch++) {
        for (let i = 1; i <= 100; i++)
          tracker.report(jobId, 1, batch - 1 + i / 100, `item ${(batch - 1) * 100 + i}`);
        await new Promise((resolve) => setTimeout(resolve, 10)); // load generation: 100 reports every 10 ms
      }
      await tracker.flush(jobId);
      const elapsedMs = Date.now() - started;
      const writes = (await scriptCalls(redis)) - before;

      const maxWrites = Math.ceil(elapsedMs / 100) + 2;
      expect(writes).toBeGreaterThanOrEqual(3);
      expect(writes).toBeLessThanOrEqual(maxWrites);
      expect(rowWrites.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 1000) + 2);
      expect(await connection.client.hget(connection.key(jobId), 'percent')).toBe('100');
      expect(await connection.client.hget(connection.key(jobId), 'message')).toBe('item 10000');
      await waitFor(() => published.at(-1) === 100, { what: 'the last change to be published' });
      expect(published.length).toBe(writes);
      expect([...published].sort((a, b) => a - b)).toEqual(published);
    } finally {
      subscriber.disconnect();
    }
  });

  it('never moves percent backwards, even with concurrent writers on two nodes', async () => {
    const nodeA = build({ liveIntervalMs: 0 });
    const nodeB = build({ liveIntervalMs: 0 });
    await Promise.all([nodeA.connection.waitUntilReady(), nodeB.connection.waitUntilReady()]);
    const jobId = randomUUID();
    const key = nodeA.connection.key(jobId);
    nodeB.connection.key = () => key; // same job, two nodes (the prefixes differ per build)

    nodeA.tracker.report(jobId, 1, 80, 'a');
    await nodeA.tracker.flush(jobId);
    nodeB.tracker.report(jobId, 1, 30, 'b');
    await nodeB.tracker.flush(jobId);
    expect(await nodeA.connection.client.hmget(key, 'percent', 'attempt')).toEqual(['80', '1']);

    // 200 racing writes straight through the script: the result is the maximum, versions all distinct.
    const percents = Array.from({ length: 200 }, () => Math.floor(Math.random() * 90));
    const now = Date.now();
    const results = await Promise.all(
      percents.map((percent, i) =>
        (i % 2 ? nodeA : nodeB).connection.client.longhaulProgressWrite(
          key,
          jobId,
          1,
          percent,
          '0',
          '',
          now,
          60,
          'unused',
          new Date(now).toISOString(),
        ),
      ),
    );
    expect(await nodeA.connection.client.hget(key, 'percent')).toBe(
      String(Math.max(80, ...percents)),
    );
    const versions = results.map(([version]) => version).filter((version) => version > 0);
    expect(new Set(versions).size).toBe(versions.length);

    // An older attempt cannot overwrite a newer one; a new attempt starts from its own value.
    nodeA.tracker.report(jobId, 2, 10, 'retry');
    await nodeA.tracker.flush(jobId);
    nodeB.tracker.report(jobId, 1, 99, 'late report of attempt 1');
    await nodeB.tracker.flush(jobId);
    expect(await nodeA.connection.client.hmget(key, 'percent', 'attempt', 'message')).toEqual([
      '10',
      '2',
      'retry',
    ]);
  });

  it('reads fall back at once while Redis is unreachable, and reports keep reaching the job row', async () => {
    const { tracker, connection, rowWrites } = build({ redisTimeoutMs: 200 });
    await connection.waitUntilReady();
    const jobId = randomUUID();
    tracker.report(jobId, 1, 10);
    await waitFor(async () => (await tracker.get(jobId))?.percent === 10, {
      what: 'the first write',
    });

    await redis.stop();
    try {
      await waitFor(() => !connection.ready, { what: 'the client to notice' });
      const started = Date.now();
      expect(await tracker.get(jobId)).toBeNull();
      expect(Date.now() - started).toBeLessThan(100);
      tracker.report(jobId, 1, 60, 'without redis');
      await expect(tracker.flush(jobId)).resolves.toBeUndefined();
      expect(rowWrites.at(-1)).toEqual({
        jobId,
        attempt: 1,
        percent: 60,
        message: 'without redis',
      });
    } finally {
      await redis.start();
    }
    await waitFor(() => connection.ready, { timeoutMs: 10_000, what: 'the client to reconnect' });
  });
});

/**
 * SIGTERM, then SIGKILL after a grace period. Known issue outside progress: after Redis was stopped and
 * restarted, shutdown can hang in the webhooks module (Bull's queue close in DeliveryWorker /
 * JobEventWebhooks' beforeApplicationShutdown), which would otherwise stall this suite's teardown.
 */
describe('the app on the Redis profile', () => {
  let schema: TestSchema;
  let redis: PrivateRedis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('progress_redis');
    redis = await privateRedis();
    await redis.start();
  });

  afterAll(async () => {
    // Even after Redis went away and came back, SIGTERM shuts every app down cleanly.
    expect(await Promise.all(apps.map((app) => app.stop()))).toEqual(apps.map(() => 0));
    await redis?.stop();
    await schema?.drop();
  });

  it('streams on an API node what a worker node reports, through ONE subscriber connection per process', async () => {
    const env = { ...schema.env, REDIS_URL: redis.url };
    const api = await startApp({ ...env, APP_ROLE: 'api' });
    const worker = await startApp({ ...env, APP_ROLE: 'worker' });
    apps.push(api, worker);

    const jobId = await submitted(api.baseUrl, {
      type: 'sleep',
      delaySeconds: 1,
      payload: { ms: 800, steps: 4 },
    });
    const others = await Promise.all(
      Array.from({ length: 50 }, () => SseStream.open(`${api.baseUrl}/jobs/${jobId}/progress`)),
    );
    const stream = others[0];
    const clients = await redis.cli('client', 'list');
    expect(clients.match(/name=longhaul-progress-sub/g)).toHaveLength(1); // 50 streams, one subscription

    await stream.waitForEnd();
    expect(stream.events[0]).toMatchObject({ event: 'snapshot', data: { status: 'PENDING' } });
    expect(stream.events.filter((e) => e.event === 'status').map((e) => e.data.to)).toEqual([
      'QUEUED',
      'RUNNING',
      'COMPLETED',
    ]);
    expect(
      stream.events
        .filter((e) => e.event === 'progress')
        .map((e) => e.data.percent)
        .at(-1),
    ).toBe(100);
    await Promise.all(others.map((other) => other.waitForEnd()));
    expect(new Set(others.map((other) => JSON.stringify(other.events.slice(1))))).toEqual(
      new Set([JSON.stringify(stream.events.slice(1))]),
    );
    expect(await Promise.all([api.stop(), worker.stop()])).toEqual([0, 0]);
  });

  it('falls back to the job row while Redis is stopped, and streams catch up when it is back', async () => {
    const app = await startApp({
      ...schema.env,
      REDIS_URL: redis.url,
      PROGRESS_ROW_INTERVAL_MS: '200',
      PROGRESS_REDIS_TIMEOUT_MS: '200',
    });
    apps.push(app);
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 4000, steps: 20 } });
    const stream = await SseStream.open(`${app.baseUrl}/jobs/${jobId}/progress`);
    await stream.waitForEvents((e) => e.event === 'progress');
    expect(await redis.cli('hget', `job:progress:${jobId}`, 'percent')).toMatch(/^\d+$/);

    await redis.stop();
    let restarted = false;
    try {
      // Polling answers quickly from the row, and the row keeps moving.
      const timed = async (path: string) => {
        const started = Date.now();
        const answer = await http(app.baseUrl, path);
        return { answer, ms: Date.now() - started };
      };
      const first = await timed(`/jobs/${jobId}`);
      expect(first.answer.status).toBe(200);
      expect(first.ms).toBeLessThan(1000);
      expect(first.answer.body.status).toBe('RUNNING');
      const status = await timed(`/jobs/${jobId}/status`);
      expect(status.answer.status).toBe(200);
      expect(status.ms).toBeLessThan(1000);
      await waitFor(
        async () =>
          (await http(app.baseUrl, `/jobs/${jobId}/status`)).body.progress.percent >
          first.answer.body.progress.percent,
        { what: 'row progress to advance without Redis' },
      );
      // New jobs are still accepted, and a new stream starts from the row.
      expect(
        (await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep' } })).status,
      ).toBe(202);
      await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
      const late = await SseStream.open(`${app.baseUrl}/jobs/${jobId}/progress`);
      await late.waitForEnd();
      expect(late.events.map((e) => [e.event, e.data.status, e.data.progress?.percent])).toEqual([
        ['snapshot', 'COMPLETED', 100],
      ]);
      // The open stream heard nothing of the end (it travels through Redis)...
      expect(stream.ended).toBe(false);

      await redis.start();
      restarted = true;
      // ...until the subscription is back and the stream re-reads what it missed.
      await stream.waitForEnd(15_000);
      expect(stream.events.at(-1)).toMatchObject({ event: 'status', data: { to: 'COMPLETED' } });
    } finally {
      if (!restarted) await redis.start();
    }
  }, 60_000);
});
