import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitForStatus } from './support/http.js';
import { historyOf, jobView, submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

/**
 * Nodes of two releases side by side: a worker without a type's handler never claims (or burns) a
 * job of that type; the job runs where the handler is, consuming no attempt. A type no live worker
 * runs fails after JOB_UNRUNNABLE_AFTER_MS with a clear reason.
 */
describe('capable workers only', () => {
  let schema: TestSchema;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('capable');
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await schema.drop();
  });

  async function start(env: Record<string, string>): Promise<AppProcess> {
    const app = await startApp({ ...schema.env, JOB_LEASE_MS: '1000', ...env });
    apps.push(app);
    return app;
  }

  const workerRunning = async (type: string): Promise<string> =>
    waitFor(
      async () => (await schema.query<{ id: string }>(`SELECT id FROM job_workers WHERE $1 = ANY(job_types)`, [type]))[0]?.id ?? false,
      { what: `a worker that runs ${type}` },
    );

  it('a worker without the handler leaves the jobs to the one that has it', async () => {
    const capable = await start({ APP_ROLE: 'all', WORKER_CONCURRENCY: '2' });
    await start({ APP_ROLE: 'worker', SLEEP_JOB_ENABLED: 'false', WORKER_CONCURRENCY: '8' });
    const capableId = await workerRunning('sleep');
    expect(await schema.query(`SELECT count(*)::int AS n FROM job_workers`)).toEqual([{ n: 2 }]);

    const ids = await Promise.all(Array.from({ length: 12 }, () => submitted(capable.baseUrl, { type: 'sleep', payload: { ms: 100 } })));
    for (const id of ids) await waitForStatus(capable.baseUrl, id, ['COMPLETED']);

    const rows = await schema.query<{ locked_by: string; attempts: number; interruptions: number; status: string }>(
      `SELECT locked_by, attempts, interruptions, status FROM jobs WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row).toEqual({ locked_by: capableId, attempts: 1, interruptions: 0, status: 'COMPLETED' });
  });

  it('a type no live worker runs is DEAD after JOB_UNRUNNABLE_AFTER_MS, with the reason; other types still run', async () => {
    for (const app of apps.splice(0)) await app.stop();
    await schema.query(`DELETE FROM job_workers`);
    const api = await start({ APP_ROLE: 'api' });
    await start({ APP_ROLE: 'worker', SLEEP_JOB_ENABLED: 'false', JOB_UNRUNNABLE_AFTER_MS: '1500' });

    const orphan = await submitted(api.baseUrl, { type: 'sleep', payload: { ms: 10 } });
    const report = await submitted(api.baseUrl, { type: 'report', payload: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' } });

    await waitForStatus(api.baseUrl, report, ['COMPLETED']);
    const dead = await waitForStatus(api.baseUrl, orphan, ['DEAD']);
    expect(dead.status).toBe('DEAD');
    const view = await jobView(api.baseUrl, orphan);
    expect(view).toMatchObject({ attempts: 0, interruptions: 0, error: { code: 'NO_HANDLER', message: 'no worker can run job type "sleep"' } });
    expect((await historyOf(api.baseUrl, orphan)).map((t) => [t.to, t.reason])).toEqual([
      ['QUEUED', 'submitted'],
      ['DEAD', 'no worker can run job type "sleep"'],
    ]);
    // It waited its time first.
    const waited = Date.parse(view.finishedAt ?? '') - Date.parse(view.createdAt);
    expect(waited).toBeGreaterThanOrEqual(1500);
  });
});
