import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http } from './support/http.js';
import { waitFor } from './support/wait-for.js';

interface JobView {
  jobId: string;
  scheduleFireTime: string;
}

interface ScheduleView {
  status: string;
  nextFireTime: string | null;
  misfireCount: number;
  lastMisfireAt: string;
}

const GRACE_MS = 3000;

/**
 * Downtime for real: the only scheduler node stops, an API-only node shows the schedules as misfired,
 * then a scheduler node comes back and each schedule's misfire policy decides what happens.
 */
describe('misfires after a stop', () => {
  let schema: TestSchema;
  let app: AppProcess | undefined;
  const env = () => ({
    ...schema.env,
    SCHEDULE_MISFIRE_GRACE_MS: String(GRACE_MS),
    DAILY_REPORT_ENABLED: 'false',
  });

  const jobsOf = async (baseUrl: string, id: string): Promise<JobView[]> =>
    (await http<{ items: JobView[] }>(baseUrl, `/jobs?scheduleId=${id}&limit=200`)).body.items;
  const dbNow = async () =>
    (await schema.query<{ now: Date }>('SELECT clock_timestamp() AS now'))[0].now;
  const storedNextFire = async (id: string) =>
    (
      await schema.query<{ next_fire_time: Date }>(
        'SELECT next_fire_time FROM schedules WHERE id = $1',
        [id],
      )
    )[0].next_fire_time;

  beforeAll(async () => {
    schema = await createTestSchema('sched_misfire');
  });

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  it('flags the missed fires, then fire_once makes one catch-up fire and skip makes none', async () => {
    app = await startApp({ ...env(), APP_ROLE: 'all' });
    const create = async (name: string, misfirePolicy: string) => {
      const answer = await http(app!.baseUrl, '/schedules', {
        method: 'POST',
        json: {
          name,
          cron: '*/2 * * * * *',
          misfirePolicy,
          overlapPolicy: 'allow',
          job: { type: 'sleep', payload: { ms: 0 } },
        },
      });
      expect(answer.status).toBe(201);
      return answer.body.id as string;
    };
    const fireOnce = await create('catch-up', 'fire_once');
    const skip = await create('skip-missed', 'skip');
    await waitFor(
      async () =>
        (await jobsOf(app!.baseUrl, fireOnce)).length > 0 &&
        (await jobsOf(app!.baseUrl, skip)).length > 0,
      {
        what: 'both schedules to fire once',
      },
    );
    await app.stop();
    app = undefined;

    // Nobody fires now: the stored next fire times are the first missed ones.
    const missedFrom = {
      [fireOnce]: await storedNextFire(fireOnce),
      [skip]: await storedNextFire(skip),
    };

    // An API-only node does not fire, but shows the overdue schedules as misfired.
    const api = await startApp({ ...env(), APP_ROLE: 'api' });
    try {
      const before = (await jobsOf(api.baseUrl, fireOnce)).length;
      const flagged = await waitFor(
        async () => {
          const answer = await http<ScheduleView>(api.baseUrl, `/schedules/${fireOnce}`);
          return answer.body.status === 'misfired' ? answer.body : null;
        },
        { timeoutMs: 20_000, what: 'the schedule to show as misfired' },
      );
      expect(flagged.nextFireTime).toBe(missedFrom[fireOnce].toISOString());
      expect((await http(api.baseUrl, `/schedules/${skip}`)).body.status).toBe('misfired');
      expect((await jobsOf(api.baseUrl, fireOnce)).length).toBe(before);
    } finally {
      await api.stop();
    }
    // Let a few more fire times pass unfired (waiting on the database clock, not sleeping).
    await waitFor(
      async () =>
        (await dbNow()).getTime() >
        Math.max(...Object.values(missedFrom).map((d) => d.getTime())) + GRACE_MS + 4000,
      {
        timeoutMs: 20_000,
        what: 'several fire times to pass unfired',
      },
    );

    const restartedAt = await dbNow();
    app = await startApp({ ...env(), APP_ROLE: 'all' });
    const regularAfter = (jobs: JobView[]) =>
      jobs.some((job) => Date.parse(job.scheduleFireTime) > restartedAt.getTime() + 2000);
    await waitFor(
      async () =>
        regularAfter(await jobsOf(app!.baseUrl, fireOnce)) &&
        regularAfter(await jobsOf(app!.baseUrl, skip)),
      {
        timeoutMs: 30_000,
        what: 'regular fires to resume on both schedules',
      },
    );

    const missedWindow = (jobs: JobView[], id: string) =>
      jobs
        .map((job) => Date.parse(job.scheduleFireTime))
        .filter((time) => time >= missedFrom[id].getTime() && time < restartedAt.getTime());
    // fire_once: exactly one job for the whole missed window, for its first missed fire time.
    expect(missedWindow(await jobsOf(app.baseUrl, fireOnce), fireOnce)).toEqual([
      missedFrom[fireOnce].getTime(),
    ]);
    // skip: none at all.
    expect(missedWindow(await jobsOf(app.baseUrl, skip), skip)).toEqual([]);

    for (const id of [fireOnce, skip]) {
      // The flag clears with the first fire made on time again; the count and time of the misfire stay.
      const schedule = await waitFor(
        async () => {
          const answer = await http<ScheduleView>(app!.baseUrl, `/schedules/${id}`);
          return answer.body.status === 'active' ? answer.body : null;
        },
        { what: 'the misfired flag to clear' },
      );
      expect(schedule.misfireCount).toBe(1);
      expect(Date.parse(schedule.lastMisfireAt)).toBeGreaterThanOrEqual(restartedAt.getTime());
    }

    // Missed fire times were never filled in one by one: only fire times from the restart on follow.
    const fireTimes = (await jobsOf(app.baseUrl, skip))
      .map((job) => Date.parse(job.scheduleFireTime))
      .sort((a, b) => a - b);
    const gap = fireTimes.find((time, i) => i > 0 && time - fireTimes[i - 1] > 2000);
    expect(gap).toBeGreaterThanOrEqual(restartedAt.getTime());

    // The node that found both misfires counts them for Prometheus.
    const metrics = await http(app.baseUrl, '/metrics');
    expect(metrics.text).toMatch(/^longhaul_schedule_misfires_total 2$/m);
  });
});
