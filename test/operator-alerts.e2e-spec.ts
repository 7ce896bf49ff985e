import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

/** Dead jobs raise a metric, and past ALERT_DEAD_THRESHOLD one alert per type and window, whichever of two nodes sees them. */
describe('dead-job alerts', () => {
  let schema: TestSchema;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('alerts');
    const env = { ...schema.env, DAILY_REPORT_ENABLED: 'false', ALERT_DEAD_THRESHOLD: '3', ALERT_DEAD_WINDOW_MINUTES: '1440' };
    apps.push(await startApp(env), await startApp(env));
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await schema?.drop();
  });

  it('fires once per window across nodes, with an error log line and metrics', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await submitted(apps[i % 2].baseUrl, { type: 'sleep', maxAttempts: 1, payload: { failAttempts: 1 } }));
    for (const id of ids) await waitForStatus(apps[0].baseUrl, id, ['DEAD']);

    const rows = await waitFor(
      async () => {
        const found = await schema.query<{ job_type: string; window_start: Date; dead_count: number }>(`SELECT * FROM dead_job_alerts`);
        return found.length > 0 ? found : false;
      },
      { what: 'the alert row' },
    );
    // Let every node finish its checks of the six deaths before counting what fired.
    await waitFor(async () => {
      const metrics = await Promise.all(apps.map(async (app) => (await http(app.baseUrl, '/metrics')).text));
      const dead = metrics.map((text) => Number(/longhaul_jobs_dead_total\{type="sleep"\} (\d+)/.exec(text)?.[1] ?? 0));
      return dead.reduce((a, b) => a + b, 0) === 6;
    }, { what: 'six dead jobs counted on the two nodes' });

    expect(new Set(rows.map((row) => `${row.job_type} ${row.window_start.toISOString()}`)).size).toBe(rows.length);
    expect(rows.every((row) => row.job_type === 'sleep' && row.dead_count >= 3)).toBe(true);
    const alertLines = apps.flatMap((app) => app.logs().split('\n')).filter((line) => line.includes('queue alert: dead jobs over the threshold'));
    expect(alertLines).toHaveLength(rows.length);
    expect(alertLines[0]).toMatch(/"level":"error"/);
    const fired = await Promise.all(apps.map(async (app) => Number(/longhaul_queue_alerts_total\{type="sleep"\} (\d+)/.exec((await http(app.baseUrl, '/metrics')).text)?.[1] ?? 0)));
    expect(fired.reduce((a, b) => a + b, 0)).toBe(rows.length);
  });
});
