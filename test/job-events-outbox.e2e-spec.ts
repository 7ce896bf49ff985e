import { randomBytes, randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';
import { Receiver, WebhookFixtures, uniquePath } from './webhooks.support.js';

/**
 * Consequences ride in the statement that moves the job: its history row is the outbox. A node that
 * dies between the commit and the webhook loses nothing — another node relays the event — and nodes
 * relaying side by side hand each event on once.
 */
describe('job events through the transactional outbox', () => {
  let schema: TestSchema;
  let receiver: Receiver;
  const apps: AppProcess[] = [];
  const webhooks = new WebhookFixtures(() => apps[0]);

  beforeAll(async () => {
    schema = await createTestSchema('job_events');
    receiver = await Receiver.start();
    // One key for both nodes: a secret sealed by one must open on the other (each would generate its own otherwise).
    const env = { ...schema.env, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WORKER_CONCURRENCY: '4', SECRETS_KEY: randomBytes(32).toString('base64') };
    apps.push(await startApp(env), await startApp(env));
  }, 120_000);

  afterAll(async () => {
    await webhooks.cleanUp();
    await Promise.all(apps.map((app) => app.stop()));
    await receiver.close();
    await schema.drop();
  });

  it('relays an event whose node died right after committing the move', async () => {
    const path = uniquePath('orphaned');
    await webhooks.create({ url: receiver.url(path), events: ['job.dead'] });
    const jobId = randomUUID();
    // What a node leaves behind when it dies right after its commit: the move and its pending event.
    await schema.query(
      `WITH job AS (
         INSERT INTO jobs (id, type, payload, status, max_attempts, attempts, finished_at, last_error, tenant)
         VALUES ($1, 'sleep', '{}', 'DEAD', 1, 1, now(), '{"message":"boom","code":"Error","attempt":1,"at":"2026-12-02T00:00:00Z"}', 'default')
         RETURNING id, last_error
       )
       INSERT INTO job_transitions (job_id, from_status, to_status, attempt, reason, detail, effects_pending)
       SELECT id, 'RUNNING', 'DEAD', 1, 'boom', last_error, true FROM job`,
      [jobId],
    );

    const hit = await waitFor(() => receiver.on(path)[0], { what: 'the orphaned event to be delivered' });
    expect(hit.json).toMatchObject({ type: 'job.dead', data: { jobId, status: 'DEAD', error: { message: 'boom' } } });
    expect(await schema.query(`SELECT effects_pending FROM job_transitions WHERE job_id = $1`, [jobId])).toEqual([{ effects_pending: false }]);
  });

  it('two nodes relaying side by side deliver every event, none twice', async () => {
    const path = uniquePath('every');
    await webhooks.create({ url: receiver.url(path), events: ['job.complete', 'job.failed'] });
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submitted(apps[i % 2].baseUrl, { type: 'sleep', maxAttempts: 2, payload: { ms: 20, failAttempts: i % 4 === 0 ? 1 : 0 } })),
    );
    for (const id of ids) await waitForStatus(apps[0].baseUrl, id, ['COMPLETED']);
    const expected = ids.length + ids.filter((_, i) => i % 4 === 0).length; // a complete each, a failed for every fourth
    await waitFor(() => receiver.on(path).length >= expected, { what: `${expected} deliveries` });

    const seen = receiver.on(path).map((hit) => `${hit.json?.type}:${hit.json?.data.jobId}`);
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
    expect(await schema.query(`SELECT count(*)::int AS n FROM job_transitions WHERE effects_pending`)).toEqual([{ n: 0 }]);
  });
});
