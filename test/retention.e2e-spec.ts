import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { expectProblem, jobView, submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

/** Finished work expires: results after RESULT_TTL_SECONDS (410 Gone), jobs after JOB_RETENTION_SECONDS, delivery logs too. */
describe('retention', () => {
  let schema: TestSchema;
  let app: AppProcess;

  beforeAll(async () => {
    schema = await createTestSchema('retention');
    app = await startApp({
      ...schema.env,
      RESULT_STORE: 'filesystem',
      RETENTION_INTERVAL_MS: '1000',
      RESULT_TTL_SECONDS: '2',
      JOB_RETENTION_SECONDS: '5',
      WEBHOOK_DELIVERY_RETENTION_SECONDS: '60',
      DEAD_MESSAGE_RETENTION_DAYS: '7',
    });
  });

  afterAll(async () => {
    await app.stop();
    await schema.drop();
  });

  it('a result expires (410 with the time, file removed), then the job and its history go', async () => {
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { result: { kept: 'briefly' } } });
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    expect((await http(app.baseUrl, `/jobs/${jobId}/result`)).body).toEqual({ kept: 'briefly' });
    const file = join(app.dataDir, 'results', jobId, '1');
    expect(existsSync(file)).toBe(true);
    const { resultExpiresAt } = await jobView(app.baseUrl, jobId);
    expect(resultExpiresAt).not.toBeNull();

    const gone = await waitFor(
      async () => {
        const answer = await http(app.baseUrl, `/jobs/${jobId}/result`);
        return answer.status === 410 ? answer : false;
      },
      { what: 'the result to expire' },
    );
    expect(expectProblem(gone, 410, 'result-expired')).toMatchObject({ expiredAt: resultExpiresAt });
    await waitFor(() => !existsSync(join(app.dataDir, 'results', jobId)), { what: 'the result file to be removed' });

    await waitFor(async () => (await http(app.baseUrl, `/jobs/${jobId}`)).status === 404, { timeoutMs: 20_000, what: 'the job to be deleted' });
    expect(await schema.query(`SELECT 1 FROM job_transitions WHERE job_id = $1`, [jobId])).toEqual([]);
  });

  it('deletes finished webhook deliveries past their retention and keeps the rest', async () => {
    // Finished rows only (nothing for the delivery worker to send): two a day old, one fresh.
    const rows = await schema.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, message_id, endpoint_key, url, event_type, body, status, updated_at, tenant)
       SELECT gen_random_uuid(), 'msg_' || n, 'callback', 'http://127.0.0.1:9/', 'job.complete', '{}', status, now() - age, 'default'
       FROM (VALUES (1, 'delivered', interval '1 day'), (2, 'failed', interval '1 day'), (3, 'delivered', interval '0')) AS r(n, status, age)
       RETURNING id`,
    );
    const left = () => schema.query<{ message_id: string }>(`SELECT message_id FROM webhook_deliveries WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
    await waitFor(async () => (await left()).length === 1, { what: 'old finished deliveries to be deleted' });
    expect(await left()).toEqual([{ message_id: 'msg_3' }]);
  });

  it('forgets records of dead-lettered Kafka messages past DEAD_MESSAGE_RETENTION_DAYS and keeps the rest', async () => {
    await schema.query(
      `INSERT INTO dead_messages (id, topic, partition, "offset", value, headers, code, reason, failed_at)
       SELECT gen_random_uuid(), 't', 0, n, 'x', '{}', 'NOT_JSON', 'value is not JSON', now() - age
       FROM (VALUES (1, interval '8 days'), (2, interval '30 days'), (3, interval '6 days')) AS r(n, age)`,
    );
    const left = () => schema.query<{ offset: string }>(`SELECT "offset"::text AS offset FROM dead_messages WHERE topic = 't' ORDER BY "offset"`);
    await waitFor(async () => (await left()).length === 1, { what: 'old dead message records to be deleted' });
    expect(await left()).toEqual([{ offset: '3' }]);
  });
});
