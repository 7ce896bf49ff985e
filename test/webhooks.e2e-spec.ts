import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApp, type AppProcess } from './support/app-process.js';
import { describeWebhookScenarios } from './webhooks.scenarios.js';
import { Receiver, WebhookFixtures, sendTest, uniquePath, waitForDelivery } from './webhooks.support.js';

// Embedded profile: no REDIS_URL, so deliveries are claimed from the webhook_deliveries table.
describeWebhookScenarios({ name: 'table (embedded)', env: () => ({}) });

describe('the table queue on a shared database schema', () => {
  const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `webhooks_e2e_${randomBytes(4).toString('hex')}`;
  let app: AppProcess;
  let receiver: Receiver;
  const webhooks = new WebhookFixtures(() => app);

  beforeAll(async () => {
    receiver = await Receiver.start('127.0.0.1');
    app = await startApp({ DATABASE_URL, DATABASE_SCHEMA: schema, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  });

  it('is woken by the (schema-scoped) NOTIFY, not by the 30 s safety timer', async () => {
    const path = uniquePath('notify');
    const { id } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
    // The worker went idle at start (nothing due; its safety timer is ~30 s away): only the NOTIFY can wake it.
    const started = Date.now();
    const queued = await sendTest(app, id);
    await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'delivered', 'a prompt delivery');
    expect(Date.now() - started).toBeLessThan(5000);
    await webhooks.cleanUp();
  });
});
