import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startApp, type AppProcess } from './support/app-process.js';
import { http } from './support/http.js';
import { describeWebhookScenarios } from './webhooks.scenarios.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefixes: string[] = [];

/** A fresh Bull key prefix per app, so runs never share queue state. */
function redisEnv(): Record<string, string> {
  const prefix = `longhaul-test-${randomBytes(6).toString('hex')}`;
  prefixes.push(prefix);
  return { REDIS_URL, WEBHOOK_QUEUE_PREFIX: prefix };
}

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  try {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
});

// REDIS_URL set: deliveries ride a Bull queue with attempts and the custom backoff strategy.
describeWebhookScenarios({ name: 'Bull (Redis)', env: redisEnv });

describe('Bull Board', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp(redisEnv());
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('is mounted at /admin/queues for the delivery queue', async () => {
    const page = await http(app.baseUrl, '/admin/queues');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const queues = await http<{ queues: Array<{ name: string }> }>(app.baseUrl, '/admin/queues/api/queues');
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((queue) => queue.name)).toEqual(['webhook-deliveries']);
  });

  it('is not mounted without Redis', async () => {
    const embedded = await startApp({});
    try {
      expect((await http(embedded.baseUrl, '/admin/queues')).status).toBe(404);
    } finally {
      await embedded.stop();
    }
  });
});
