import { jobColumns } from '../src/jobs/job-row.mapper.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { distributedEnv, kafkaNames, keepLogs } from './support/kafka.js';

/**
 * The hot statements (submission, outbox, claims, completions, the event relay, the poll) are prepared
 * once per connection. A newer release may add columns while this one runs (rolling upgrade, migrations
 * first): a prepared statement that read `*` would then fail on every execution ("cached plan must not
 * change result type"). Distributed profile, so every one of them runs.
 */
describe('prepared statements across a schema change of a newer release', () => {
  let schema: TestSchema;
  let app: AppProcess;
  const names = kafkaNames();

  beforeAll(async () => {
    schema = await createTestSchema('prepared');
    app = await startApp(distributedEnv(names, schema));
  }, 90_000);

  afterAll(async () => {
    keepLogs(`prepared-statements-${names.topic}`, { app });
    await app?.stop();
    await schema?.drop();
  });

  it('the columns a prepared job read names are every column of the jobs table', async () => {
    const columns = await schema.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'jobs'`,
      [schema.name],
    );
    expect(jobColumns().split(', ').sort()).toEqual(columns.map((c) => c.column_name).sort());
  });

  it('submits, runs, relays and polls jobs as before once columns were added under it', async () => {
    const before = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 1, result: { n: 1 } } });
    await waitForStatus(app.baseUrl, before, ['COMPLETED']);
    // Every pooled connection has prepared the poll by now.
    for (let i = 0; i < 6; i += 1) expect((await http(app.baseUrl, `/jobs/${before}/status`)).status).toBe(200);

    for (const table of ['jobs', 'job_transitions', 'job_outbox']) {
      await schema.query(`ALTER TABLE ${table} ADD COLUMN from_a_newer_release text`);
    }

    for (let i = 0; i < 6; i += 1) {
      const poll = await http<{ status: string }>(app.baseUrl, `/jobs/${before}/status`);
      expect([poll.status, poll.body.status]).toEqual([200, 'COMPLETED']);
    }
    const after = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 1, result: { n: 2 } } });
    const done = await waitForStatus(app.baseUrl, after, ['COMPLETED'], 30_000);
    expect(done.status).toBe('COMPLETED');
    expect((await http(app.baseUrl, `/jobs/${after}/result`)).body).toEqual({ n: 2 });
    expect(app.logs()).not.toContain('cached plan must not change result type');
  });
});
