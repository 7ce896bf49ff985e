import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, transitionsOf, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { TEST_BROKER, distributedEnv, kafkaNames, keepLogs, testBroker } from './support/kafka.js';

/** Runs on a private broker (127.0.0.1:19092) that the test stops and restarts; the shared one is never touched. */
describe('Kafka broker stopped during submissions', () => {
  const names = kafkaNames([TEST_BROKER.address]);
  let schema: TestSchema;
  let app: AppProcess;

  const submit = (i: number) =>
    http<{ jobId: string }>(app.baseUrl, '/jobs', {
      method: 'POST',
      json: { type: 'sleep', payload: { ms: 20, result: { i } } },
    });

  beforeAll(async () => {
    await testBroker('start');
    schema = await createTestSchema('kafka_outage');
    app = await startApp(distributedEnv(names, schema));
  }, 180_000);

  afterAll(async () => {
    keepLogs(`kafka-broker-outage-${names.topic}`, { app });
    try {
      await app?.stop();
    } finally {
      await testBroker('reset');
      await schema?.drop();
    }
  }, 120_000);

  it('answers 202 while the broker is down and runs every accepted job once it is back', async () => {
    const before = await submit(-1);
    expect(before.status).toBe(202);
    await waitForStatus(app.baseUrl, before.body.jobId, ['COMPLETED']);

    await testBroker('stop');
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map(submit));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const ids: string[] = answers.map((answer) => answer.body.jobId);

    // Nothing can reach Kafka now: every dispatch waits in the outbox, committed with its job.
    const waiting = await schema.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_outbox WHERE sent_at IS NULL AND message_key = ANY($1)`,
      [ids],
    );
    expect(waiting).toEqual([{ n: 6 }]);
    for (const id of ids)
      expect((await http(app.baseUrl, `/jobs/${id}/status`)).body.status).toBe('QUEUED');

    await testBroker('start');
    for (const [i, id] of ids.entries()) {
      await waitForStatus(app.baseUrl, id, ['COMPLETED'], 90_000);
      expect((await http(app.baseUrl, `/jobs/${id}/result`)).body).toEqual({ i });
      expect(await transitionsOf(schema, id)).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    }
    const unsent = await schema.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_outbox WHERE sent_at IS NULL`,
    );
    expect(unsent).toEqual([{ n: 0 }]);
  }, 180_000);

  it('starts a worker node while the broker is down; its consumer joins once the broker is back', async () => {
    await testBroker('stop');
    await app.stop();
    app = await startApp(distributedEnv(names, schema));
    const accepted = await submit(99);
    expect(accepted.status).toBe(202);
    expect((await http(app.baseUrl, `/jobs/${accepted.body.jobId}/status`)).body.status).toBe('QUEUED');

    await testBroker('start');
    await waitForStatus(app.baseUrl, accepted.body.jobId, ['COMPLETED'], 90_000);
    expect((await http(app.baseUrl, `/jobs/${accepted.body.jobId}/result`)).body).toEqual({ i: 99 });
  }, 180_000);
});
