import type { DataSource } from 'typeorm';
import { migrate } from '../src/database/migrate.js';
import { EmailAttemptLogRepository } from '../src/email/delivery/email-attempt-log.repository.js';
import { EmailDeliveryQueueRepository } from '../src/email/delivery/email-delivery-queue.repository.js';
import { WebhookDeliveryQueueRepository } from '../src/webhooks/delivery/webhook-delivery-queue.repository.js';
import { WebhookAttemptLogRepository } from '../src/webhooks/webhook-attempt-log.repository.js';
import { TEST_DATABASE_URL, createTestSchema, type TestSchema } from './support/database.js';

/** A node whose clock is a day behind: nothing it sends may decide when a retry is due. */
const SKEWED_NODE_TIME = new Date(Date.now() - 86_400_000);
const RETRY_DELAY_MS = 60_000;

/**
 * Retry times are computed by PostgreSQL when an attempt is recorded (`now() + delay`), and the table
 * queue's next wake-up is measured in the database's clock — for the webhook and the email channel.
 */
describe('delivery retries run on the database clock', () => {
  let schema: TestSchema;
  let db: DataSource;

  beforeAll(async () => {
    schema = await createTestSchema('delivery_clock');
    await migrate({ url: TEST_DATABASE_URL, schema: schema.name });
    db = { query: (sql: string, params?: unknown[]) => schema.query(sql, params) } as unknown as DataSource;
  });

  afterAll(async () => {
    await schema?.drop();
  });

  const secondsUntil = async (table: string, id: string) =>
    (await schema.query<{ s: number }>(`SELECT extract(epoch FROM next_attempt_at - now())::float8 AS s FROM ${table} WHERE id = $1`, [id]))[0]?.s;

  it('webhook: next_attempt_at is the database’s now() plus the delay, whatever the node’s clock', async () => {
    const [row] = await schema.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, message_id, endpoint_key, url, event_type, body, status, round_attempts, tenant)
       VALUES (gen_random_uuid(), 'msg_clock', 'callback', 'http://127.0.0.1:9/', 'job.complete', '{}', 'delivering', 1, 't') RETURNING id`,
    );
    const id = String(row?.id);
    const written = await new WebhookAttemptLogRepository(db).recordAttempts([
      { deliveryId: id, round: 1, roundAttempt: 1, outcome: 'retry', startedAt: SKEWED_NODE_TIME, webhookTimestamp: 0, statusCode: 500, latencyMs: 5, error: 'HTTP 500', retryDelayMs: RETRY_DELAY_MS },
    ]);
    expect(written.map((item) => item.id)).toEqual([id]);
    const seconds = await secondsUntil('webhook_deliveries', id);
    expect(seconds).toBeGreaterThan(50);
    expect(seconds).toBeLessThanOrEqual(60);
    const [logged] = await schema.query<{ same: boolean }>(
      `SELECT a.retry_at = d.next_attempt_at AS same FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.id = $1`,
      [id],
    );
    expect(logged?.same).toBe(true);

    const queue = new WebhookDeliveryQueueRepository(db);
    const wait = await queue.nextDueInMs();
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    await schema.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    expect(await queue.nextDueInMs()).toBe(0);
    await schema.query(`DELETE FROM webhook_deliveries`);
    expect(await queue.nextDueInMs()).toBeNull();
  });

  it('email: the same rule on the email delivery table', async () => {
    const [row] = await schema.query<{ id: string }>(
      `INSERT INTO email_deliveries (id, tenant, message_id, recipient, event_type, subject, text_body, html_body, status, round_attempts)
       VALUES (gen_random_uuid(), 't', 'msg_clock', 'ops@example.test', 'job.complete', 's', 't', 'h', 'delivering', 1) RETURNING id`,
    );
    const id = String(row?.id);
    const written = await new EmailAttemptLogRepository(db).recordAttempts([
      { deliveryId: id, round: 1, roundAttempt: 1, outcome: 'retry', startedAt: SKEWED_NODE_TIME, latencyMs: 5, smtpCode: null, error: 'connect ECONNREFUSED', retryDelayMs: RETRY_DELAY_MS },
    ]);
    expect(written).toEqual([id]);
    const seconds = await secondsUntil('email_deliveries', id);
    expect(seconds).toBeGreaterThan(50);
    expect(seconds).toBeLessThanOrEqual(60);

    const queue = new EmailDeliveryQueueRepository(db);
    expect(await queue.nextDueInMs()).toBeGreaterThan(50_000);
    expect(await queue.claimDue(10, 30_000, 'w')).toEqual([]);
    await schema.query(`UPDATE email_deliveries SET next_attempt_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await queue.nextDueInMs()).toBe(0);
    const claimed = await queue.claimDue(10, 30_000, 'w');
    expect(claimed.map((item) => [item.id, item.recipient, item.roundAttempts])).toEqual([[id, 'ops@example.test', 2]]);
  });
});
