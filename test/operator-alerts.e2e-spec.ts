import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';
import { Receiver, uniquePath, verifyStandard } from './webhooks.support.js';

const CALLBACK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** Dead jobs raise a metric, and past ALERT_DEAD_THRESHOLD one alert per type and window, whichever of two nodes sees them. */
describe('dead-job alerts', () => {
  let schema: TestSchema;
  let receiver: Receiver;
  const alertPath = uniquePath('queue-alert');
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('alerts');
    receiver = await Receiver.start('127.0.0.1');
    const env = {
      ...schema.env,
      DAILY_REPORT_ENABLED: 'false',
      ALERT_DEAD_THRESHOLD: '3',
      ALERT_DEAD_WINDOW_MINUTES: '1440',
      ALERT_WEBHOOK_URL: receiver.url(alertPath),
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_CALLBACK_SECRET: CALLBACK_SECRET,
    };
    apps.push(await startApp(env), await startApp(env));
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await receiver?.close();
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

  it('sends one signed queue.alert webhook event per window to ALERT_WEBHOOK_URL', async () => {
    const rows = await schema.query<{ window_start: Date; dead_count: number }>(`SELECT window_start, dead_count FROM dead_job_alerts WHERE job_type = 'sleep'`);
    expect(rows).toHaveLength(1);
    const hit = await waitFor(() => receiver.on(alertPath)[0] ?? false, { what: 'the queue.alert webhook' });
    expect(verifyStandard(CALLBACK_SECRET, hit)).toMatchObject({ type: 'queue.alert' });
    expect(hit.json).toMatchObject({
      type: 'queue.alert',
      data: {
        jobId: null,
        status: null,
        alert: { jobType: 'sleep', deadCount: rows[0].dead_count, threshold: 3, windowMinutes: 1440, windowStart: rows[0].window_start.toISOString() },
      },
    });
    // More deaths in the same window raise nothing more, on either node.
    const more = await submitted(apps[1].baseUrl, { type: 'sleep', maxAttempts: 1, payload: { failAttempts: 1 } });
    await waitForStatus(apps[0].baseUrl, more, ['DEAD']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.on(alertPath)).toHaveLength(1);
    const deliveries = await schema.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_type = 'queue.alert'`);
    expect(deliveries[0].n).toBe(1);
  });
});
