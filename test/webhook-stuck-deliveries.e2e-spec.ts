import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitFor } from './support/wait-for.js';
import { Receiver, WebhookFixtures, uniquePath } from './webhooks.support.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * With Redis, Bull owns the retry schedule but PostgreSQL owns the truth: a delivery row left
 * `delivering` by a node that died mid-attempt (Bull gave up on the stalled job), or `pending` after
 * Redis lost its job, is handed to Bull again and delivered — never stuck forever.
 */
describe('webhook deliveries stuck between PostgreSQL and Bull', () => {
  const prefix = `longhaul-test-${randomBytes(6).toString('hex')}`;
  let schema: TestSchema;
  let receiver: Receiver;
  let app: AppProcess;
  const webhooks = new WebhookFixtures(() => app);

  beforeAll(async () => {
    schema = await createTestSchema('stuck_deliveries');
    receiver = await Receiver.start();
    app = await startApp({
      ...schema.env,
      REDIS_URL,
      WEBHOOK_QUEUE_PREFIX: prefix,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_TIMEOUT_MS: '500',
      WEBHOOK_RECONCILE_INTERVAL_MS: '1000',
    });
  });

  afterAll(async () => {
    await webhooks.cleanUp();
    await app.stop();
    await receiver.close();
    await schema.drop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it.each(['delivering', 'pending'])('hands a row stuck %s with no Bull job to the queue again, and it is delivered', async (status) => {
    const path = uniquePath(`stuck-${status}`);
    const { id: subscriptionId } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
    const messageId = `msg_${randomUUID().replaceAll('-', '')}`;
    await schema.query(
      `INSERT INTO webhook_deliveries (id, message_id, endpoint_key, subscription_id, url, event_type, body, status, attempts,
                                       round_attempts, next_attempt_at, handed_off, updated_at, tenant)
       VALUES (gen_random_uuid(), $1, $2::text, $2::uuid, $3, 'job.complete', $4, $5, 1, 1, now() - interval '1 minute', true, now() - interval '1 minute', 'default')`,
      [messageId, subscriptionId, receiver.url(path), JSON.stringify({ id: messageId, type: 'job.complete', data: {} }), status],
    );

    const hit = await waitFor(() => receiver.on(path)[0], { timeoutMs: 30_000, what: `the stuck ${status} delivery to arrive` });
    expect(hit.headers['webhook-id']).toBe(messageId);
    await waitFor(
      async () => (await schema.query<{ status: string }>(`SELECT status FROM webhook_deliveries WHERE message_id = $1`, [messageId]))[0]?.status === 'delivered',
      { what: 'the row to be marked delivered' },
    );
  });
});
