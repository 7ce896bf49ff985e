import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http } from './support/http.js';
import { waitFor } from './support/wait-for.js';

interface JobView {
  jobId: string;
  type: string;
  status: string;
  payload: Record<string, unknown>;
  createdAt: string;
  scheduleId: string | null;
  scheduleFireTime: string | null;
}

async function allJobs(baseUrl: string, filter: string): Promise<JobView[]> {
  const jobs: JobView[] = [];
  let cursor: string | null = null;
  do {
    const page: {
      status: number;
      text: string;
      body: { items: JobView[]; nextCursor: string | null };
    } = await http<{ items: JobView[]; nextCursor: string | null }>(
      baseUrl,
      `/jobs?${filter}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`GET /jobs answered ${page.status}: ${page.text}`);
    jobs.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return jobs;
}

/** Three scheduler nodes on one PostgreSQL schema: the lock lets one fire, idempotency keys make one job per fire. */
describe('scheduler on three nodes', () => {
  let schema: TestSchema;
  let apps: AppProcess[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('sched_cluster');
    // Every node fires the daily report every second: the lock and the per-day key must still make one job.
    const env = {
      ...schema.env,
      APP_ROLE: 'all',
      DAILY_REPORT_CRON: '* * * * * *',
      DAILY_REPORT_TIMEZONE: 'UTC',
    };
    apps = await Promise.all([startApp(env), startApp(env), startApp(env)]);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await schema?.drop();
  });

  it('fires a schedule every 2 s for 30 s with exactly one job per fire time', async () => {
    const created = await http(apps[0].baseUrl, '/schedules', {
      method: 'POST',
      json: {
        name: 'every-2s',
        cron: '*/2 * * * * *',
        job: { type: 'sleep', payload: { ms: 0 } },
        overlapPolicy: 'allow',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/schedules/${id}`);
    const upcoming = (created.body.nextFireTimes as string[]).map(Date.parse);
    expect(upcoming).toHaveLength(5);
    expect(upcoming.slice(1).map((time, i) => time - upcoming[i])).toEqual([
      2000, 2000, 2000, 2000,
    ]);

    const firstFire = upcoming[0];
    const lastFire = firstFire + 30_000;
    await waitFor(
      async () =>
        (await allJobs(apps[1].baseUrl, `scheduleId=${id}`)).some(
          (job) => Date.parse(job.scheduleFireTime!) >= lastFire,
        ),
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: 'the schedule to fire for 30 s',
      },
    );
    const paused = await http(apps[2].baseUrl, `/schedules/${id}/pause`, { method: 'POST' });
    expect(paused.body.status).toBe('paused');

    const jobs = await allJobs(apps[2].baseUrl, `scheduleId=${id}`);
    const perFireTime = new Map<string, number>();
    for (const job of jobs) {
      expect(job.scheduleId).toBe(id);
      perFireTime.set(job.scheduleFireTime!, (perFireTime.get(job.scheduleFireTime!) ?? 0) + 1);
    }
    expect([...perFireTime.values()].filter((count) => count !== 1)).toEqual([]);
    const fireTimes = [...perFireTime.keys()].map(Date.parse).sort((a, b) => a - b);
    expect(fireTimes[0]).toBe(firstFire);
    expect(
      fireTimes
        .slice(1)
        .map((time, i) => time - fireTimes[i])
        .filter((gap) => gap !== 2000),
    ).toEqual([]);
    expect(fireTimes[fireTimes.length - 1]).toBeGreaterThanOrEqual(lastFire);
    expect(fireTimes.length).toBeGreaterThanOrEqual(16);

    // Every job carries the fencing token of the tick that made it; tokens never go backwards with fire time.
    const tokens = await schema.query<{
      fencing_token: string | null;
      schedule_fire_time: Date;
      owner: string;
    }>(
      'SELECT fencing_token, schedule_fire_time, owner FROM jobs WHERE schedule_id = $1 ORDER BY schedule_fire_time',
      [id],
    );
    expect(tokens.filter((row) => row.fencing_token === null)).toEqual([]);
    expect(new Set(tokens.map((row) => row.owner))).toEqual(new Set(['scheduler']));
    const asNumbers = tokens.map((row) => BigInt(row.fencing_token!));
    expect(asNumbers.every((token, i) => i === 0 || token > asNumbers[i - 1])).toBe(true);

    await waitFor(
      async () =>
        (await allJobs(apps[0].baseUrl, `scheduleId=${id}`)).every(
          (job) => job.status === 'COMPLETED',
        ),
      {
        what: 'every fired job to complete',
      },
    );
  });

  it('submits the daily report once across three nodes firing it every second', async () => {
    const reports = await waitFor(
      async () => {
        const found = await allJobs(apps[0].baseUrl, 'type=report');
        return found.length > 0 ? found : null;
      },
      { what: 'the daily report job' },
    );
    // The lock (lockAtLeastFor 30 s) has been taken more than once by now, and each run found the same job.
    await waitFor(
      async () => {
        const rows = await schema.query<{ fencing_token: string }>(
          `SELECT fencing_token FROM scheduler_locks WHERE name = 'daily-report'`,
        );
        return rows[0] && BigInt(rows[0].fencing_token) >= 2n;
      },
      { timeoutMs: 45_000, intervalMs: 500, what: 'a second daily-report run' },
    );
    const after = await allJobs(apps[1].baseUrl, 'type=report');
    expect(after.map((job) => job.jobId)).toEqual([reports[0].jobId]);

    const createdDay = new Date(reports[0].createdAt);
    const today = Date.UTC(
      createdDay.getUTCFullYear(),
      createdDay.getUTCMonth(),
      createdDay.getUTCDate(),
    );
    expect(after[0].payload).toEqual({
      from: new Date(today - 86_400_000).toISOString(),
      to: new Date(today).toISOString(),
      format: 'json',
      groupBy: 'type',
    });
    const [row] = await schema.query<{
      owner: string;
      idempotency_key: string;
      fencing_token: string;
    }>('SELECT owner, idempotency_key, fencing_token FROM jobs WHERE id = $1', [after[0].jobId]);
    expect(row).toEqual({
      owner: 'scheduler',
      idempotency_key: `daily-report:${new Date(today - 86_400_000).toISOString().slice(0, 10)}`,
      fencing_token: expect.any(String),
    });
  });
});
