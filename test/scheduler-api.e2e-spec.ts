import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { waitFor } from './support/wait-for.js';

const PROBLEM = 'https://longhaul.dev/problems/';
const sleepJob = { type: 'sleep', payload: { ms: 0 } };

/** The /schedules API on one node, plus overlap handling and delayed jobs. */
describe('schedules API', () => {
  let schema: TestSchema;
  let app: AppProcess;
  const post = (path: string, json?: unknown) => http(app.baseUrl, path, { method: 'POST', json });
  const patch = (path: string, json: unknown) => http(app.baseUrl, path, { method: 'PATCH', json });

  beforeAll(async () => {
    schema = await createTestSchema('sched_api');
    app = await startApp({ ...schema.env, DAILY_REPORT_ENABLED: 'false' });
  });

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  describe('validation', () => {
    it.each([
      [{ name: 'x', cron: '* * *', job: sleepJob }, 'cron', /5 fields/],
      [{ name: 'x', cron: '* * * * * * *', job: sleepJob }, 'cron', /got 7/],
      [{ name: 'x', cron: '99 * * * *', job: sleepJob }, 'cron', /minute/],
      [{ name: 'x', cron: '0 0 30 2 *', job: sleepJob }, 'cron', /never fires/],
      [
        { name: 'x', cron: '* * * * *', timezone: 'Mars/Olympus', job: sleepJob },
        'timezone',
        /time zone/,
      ],
      [{ name: 'x', cron: '* * * * *', timezone: '+02:00', job: sleepJob }, 'timezone', /IANA/],
      [{ name: 'x', cron: '* * * * *' }, 'job', /./],
      [
        { name: 'x', cron: '* * * * *', job: { type: 'sleep', payload: { ms: -1 } } },
        'job.payload.ms',
        /ms/,
      ],
      [
        { name: 'x', cron: '* * * * *', job: sleepJob, misfirePolicy: 'later' },
        'misfirePolicy',
        /./,
      ],
      [
        { name: 'x', cron: '* * * * *', job: sleepJob, overlapPolicy: 'queue' },
        'overlapPolicy',
        /./,
      ],
    ])('answers 400 naming the field for %j', async (body, field, message) => {
      const answer = await post('/schedules', body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.type).toBe(`${PROBLEM}validation`);
      const errors = (answer.body.errors as Array<{ field: string; message: string }>).filter(
        (error) => error.field === field,
      );
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((error) => error.message).join(' ')).toMatch(message);
    });

    it('answers 422 for an unknown job type, through the same check as POST /jobs', async () => {
      const answer = await post('/schedules', {
        name: 'x',
        cron: '* * * * *',
        job: { type: 'no-such-type' },
      });
      expect(answer.status).toBe(422);
      expect(answer.body.type).toBe(`${PROBLEM}unknown-job-type`);
      expect(answer.body.knownTypes).toEqual(expect.arrayContaining(['report', 'sleep']));
    });

    it('answers 404 for unknown or malformed ids on every route', async () => {
      const id = '1c6b1a5e-8d0e-4c43-9a55-3f0a2b1c9d7e';
      const answers = await Promise.all([
        http(app.baseUrl, `/schedules/${id}`),
        http(app.baseUrl, '/schedules/not-a-uuid'),
        patch(`/schedules/${id}`, { enabled: false }),
        http(app.baseUrl, `/schedules/${id}`, { method: 'DELETE' }),
        post(`/schedules/${id}/trigger`),
        post(`/schedules/${id}/pause`),
        post(`/schedules/${id}/resume`),
      ]);
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.body.type).toBe(`${PROBLEM}schedule-not-found`);
      }
    });
  });

  it('creates a schedule in a time zone and shows the next 5 fire times, DST-aware', async () => {
    const answer = await post('/schedules', {
      name: 'berlin-0230',
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      job: sleepJob,
      enabled: true,
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      name: 'berlin-0230',
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      job: { type: 'sleep', payload: { ms: 0 }, maxAttempts: null, priority: 0 },
      enabled: true,
      misfirePolicy: 'fire_once',
      overlapPolicy: 'skip',
      status: 'active',
      lastFireTime: null,
      lastJobId: null,
      lastMisfireAt: null,
      misfireCount: 0,
    });
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    });
    const times = answer.body.nextFireTimes as string[];
    expect(times).toHaveLength(5);
    expect(times[0]).toBe(answer.body.nextFireTime);
    for (const time of times) expect(['02:30', '03:00']).toContain(berlin.format(new Date(time)));

    const duplicate = await post('/schedules', {
      name: 'berlin-0230',
      cron: '* * * * *',
      job: sleepJob,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.type).toBe(`${PROBLEM}schedule-name-taken`);
  });

  it('changes, pauses, resumes, triggers and deletes a schedule', async () => {
    const created = await post('/schedules', {
      name: 'life-cycle',
      cron: '0 0 1 1 *',
      job: sleepJob,
    });
    const id = created.body.id as string;

    const changed = await patch(`/schedules/${id}`, {
      cron: '0 12 * * *',
      job: { type: 'sleep', payload: { ms: 1 }, priority: 5, maxAttempts: 2 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.cron).toBe('0 12 * * *');
    expect(changed.body.job).toEqual({
      type: 'sleep',
      payload: { ms: 1 },
      priority: 5,
      maxAttempts: 2,
    });
    expect(
      (changed.body.nextFireTimes as string[]).every((time) => time.endsWith('T12:00:00.000Z')),
    ).toBe(true);

    expect((await patch(`/schedules/${id}`, { job: { type: 'nope' } })).status).toBe(422);
    expect((await patch(`/schedules/${id}`, { name: 'berlin-0230' })).status).toBe(409);
    expect(
      (await patch(`/schedules/${id}`, { timezone: 'Nowhere/Land' })).body.errors[0].field,
    ).toBe('timezone');

    const paused = await post(`/schedules/${id}/pause`);
    expect(paused.body).toMatchObject({
      status: 'paused',
      enabled: false,
      nextFireTime: null,
      nextFireTimes: [],
    });
    const resumed = await post(`/schedules/${id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', enabled: true });
    expect(resumed.body.nextFireTimes).toHaveLength(5);

    const triggered = await post(`/schedules/${id}/trigger`);
    expect(triggered.status).toBe(202);
    const jobId = triggered.body.jobId as string;
    expect(triggered.headers.get('location')).toBe(`/jobs/${jobId}`);
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    const job = await http(app.baseUrl, `/jobs/${jobId}/status`);
    expect(job.body.status).toBe('COMPLETED');
    type Listed = { items: Array<{ jobId: string; scheduleFireTime: string; createdAt: string }> };
    const listed = await http<Listed>(app.baseUrl, `/jobs?scheduleId=${id}`);
    expect(listed.body.items.map((item) => item.jobId)).toEqual([jobId]);
    expect(listed.body.items[0]).toMatchObject({
      scheduleId: id,
      type: 'sleep',
      priority: 5,
      maxAttempts: 2,
      payload: { ms: 1 },
    });
    expect(Date.parse(listed.body.items[0].scheduleFireTime)).toBeLessThanOrEqual(
      Date.parse(listed.body.items[0].createdAt),
    );
    expect((await http(app.baseUrl, `/schedules/${id}`)).body.lastJobId).toBe(jobId);
    expect((await http(app.baseUrl, '/jobs?scheduleId=nope')).status).toBe(400);

    expect((await http(app.baseUrl, `/schedules/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await http(app.baseUrl, `/schedules/${id}`)).status).toBe(404);
    // Its jobs stay, still filterable.
    expect((await http(app.baseUrl, `/jobs?scheduleId=${id}`)).body.items).toHaveLength(1);
  });

  it('lists schedules by name with a cursor', async () => {
    for (const name of ['page-a', 'page-b', 'page-c'])
      await post('/schedules', { name, cron: '0 0 * * *', job: sleepJob, enabled: false });
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ name: string }>; nextCursor: string | null } } =
        await http(app.baseUrl, `/schedules?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      names.push(...page.body.items.map((item) => item.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
  });

  it('overlapPolicy skip: no new fire while the previous fire’s job is still running', async () => {
    const created = await post('/schedules', {
      name: 'no-overlap',
      cron: '* * * * * *',
      overlapPolicy: 'skip',
      job: { type: 'sleep', payload: { ms: 2500, steps: 5 } },
    });
    const id = created.body.id as string;
    type Run = { jobId: string; status: string; createdAt: string; finishedAt: string | null };
    const runs = await waitFor(
      async () => {
        const items = (await http<{ items: Run[] }>(app.baseUrl, `/jobs?scheduleId=${id}`)).body
          .items;
        return items.filter((run) => run.status === 'COMPLETED').length >= 2 ? items : null;
      },
      { timeoutMs: 30_000, what: 'two fires of the overlapping schedule to complete' },
    );
    await post(`/schedules/${id}/pause`);
    const ordered = [...runs].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    for (let i = 1; i < ordered.length; i++) {
      expect(Date.parse(ordered[i].createdAt)).toBeGreaterThanOrEqual(
        Date.parse(ordered[i - 1].finishedAt!),
      );
    }
    // A fire every second for over five seconds, yet only a few jobs.
    expect(ordered.length).toBeLessThanOrEqual(3);
  });

  it('does not start a delayed job before its runAt', async () => {
    const runAt = new Date(Date.now() + 2500).toISOString();
    const submitted = await post('/jobs', { type: 'sleep', payload: { ms: 0 }, runAt });
    expect(submitted.status).toBe(202);
    expect(submitted.body.status).toBe('PENDING');
    await waitForStatus(app.baseUrl, submitted.body.jobId, ['COMPLETED'], 20_000);
    const jobs = await http<{ items: Array<{ jobId: string; startedAt: string }> }>(
      app.baseUrl,
      `/jobs?type=sleep&limit=200`,
    );
    const job = jobs.body.items.find((item) => item.jobId === submitted.body.jobId);
    expect(Date.parse(job!.startedAt)).toBeGreaterThanOrEqual(Date.parse(runAt));
    const history = await http<Array<{ to: string; at: string }>>(
      app.baseUrl,
      `/jobs/${submitted.body.jobId}/history`,
    );
    const queued = history.body.find((step) => step.to === 'QUEUED');
    expect(Date.parse(queued!.at)).toBeGreaterThanOrEqual(Date.parse(runAt));
  });

  it('documents every /schedules operation in the OpenAPI spec', async () => {
    const spec = (await http(app.baseUrl, '/docs-json')).body;
    const operations = Object.entries(
      spec.paths as Record<
        string,
        Record<string, { tags: string[]; summary: string; responses: object }>
      >,
    )
      .filter(([path]) => path.startsWith('/schedules'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          key: `${method.toUpperCase()} ${path}`,
          operation,
        })),
      );
    expect(operations.map((entry) => entry.key).sort()).toEqual([
      'DELETE /schedules/{id}',
      'GET /schedules',
      'GET /schedules/{id}',
      'PATCH /schedules/{id}',
      'POST /schedules',
      'POST /schedules/{id}/pause',
      'POST /schedules/{id}/resume',
      'POST /schedules/{id}/trigger',
    ]);
    for (const { operation } of operations) {
      expect(operation.tags).toEqual(['schedules']);
      expect(operation.summary).toBeTruthy();
      expect(Object.keys(operation.responses).some((status) => status.startsWith('4'))).toBe(true);
    }
  });
});
