import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitForStatus } from './support/http.js';
import { expectProblem } from './support/jobs.js';
import { keepLogs } from './support/kafka.js';
import { API_KEYS, TENANT_A, TENANT_B, as, keyedClient, type Principal } from './support/security.js';
import { waitFor } from './support/wait-for.js';

/** Dead letter inspection (filters, attempt history, purge) and bulk replay (dry run, rate, idempotency, parking, cancel). */
describe('dead letter operations', () => {
  let schema: TestSchema;
  let app: AppProcess;

  const { call, ok } = keyedClient(() => app.baseUrl);
  /** `count` dead jobs of a tenant; each failed `attempts` times with "planned failure n of <failAttempts>". */
  const deadJobs = async (principal: Principal, count: number, payload: Record<string, unknown> = { failAttempts: 50 }, maxAttempts = 1) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await ok(principal, 'POST', '/jobs', { type: 'sleep', maxAttempts, payload })).jobId);
    for (const id of ids) await waitForStatus(app.baseUrl, id, ['DEAD'], 30_000, as('admin'));
    return ids;
  };
  const since = () => new Date().toISOString();
  const dlq = async (query: string) => (await ok('admin', 'GET', `/admin/dlq?${query}`)) as { items: any[]; nextCursor: string | null };
  const bulkDone = (jobId: string) => waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 60_000, as('admin'));
  const resultOf = async (jobId: string) => ok('admin', 'GET', `/jobs/${jobId}/result`);

  beforeAll(async () => {
    schema = await createTestSchema('dlq_ops');
    app = await startApp({ ...schema.env, API_KEYS, RETRY_BASE_DELAY_MS: '20', RETRY_MAX_DELAY_MS: '50', DAILY_REPORT_ENABLED: 'false' });
  });

  afterAll(async () => {
    keepLogs('operator-dlq', { app });
    await app?.stop();
    await schema?.drop();
  });

  it('filters by tenant, error text, time and parked state, pages with a cursor, and shows each attempt', async () => {
    const from = since();
    const [a1, a2] = await deadJobs('submitterA', 2, { failAttempts: 7 }, 2);
    const [b1] = await deadJobs('submitterB', 1, { failAttempts: 9 });
    const ids = (page: { items: any[] }) => page.items.map((item) => item.jobId).sort();

    expect(ids(await dlq(`from=${encodeURIComponent(from)}&tenant=${TENANT_A}`))).toEqual([a1, a2].sort());
    expect(ids(await dlq(`from=${encodeURIComponent(from)}&errorText=OF%209`))).toEqual([b1]);
    expect(ids(await dlq(`from=${encodeURIComponent(from)}&type=sleep&parked=false`))).toEqual([a1, a2, b1].sort());
    expect((await dlq(`from=${encodeURIComponent(from)}&parked=true`)).items).toEqual([]);
    expect((await dlq(`to=${encodeURIComponent(from)}&tenant=${TENANT_A}`)).items).toEqual([]);
    expect((await dlq(`scheduleId=5d1f4a0e-1111-4222-8333-944455556666`)).items).toEqual([]);

    const first = await dlq(`from=${encodeURIComponent(from)}&limit=2`);
    const second = await dlq(`from=${encodeURIComponent(from)}&limit=2&cursor=${first.nextCursor}`);
    expect([...ids(first), ...ids(second)].sort()).toEqual([a1, a2, b1].sort());
    expect(second.nextCursor).toBeNull();

    const entry = await ok('admin', 'GET', `/admin/dlq/${a1}`);
    expect(entry.parked).toBe(false);
    expect(entry.attemptHistory).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'FAILED', error: 'planned failure 1 of 7', worker: expect.any(String), endedAt: expect.any(String) }),
      expect.objectContaining({ attempt: 2, outcome: 'DEAD', error: 'planned failure 2 of 7', worker: expect.any(String) }),
    ]);
    expect(entry.attemptHistory[1].stack).toMatch(/^PlannedFailure|Error/);
    expect(entry.error).not.toHaveProperty('stack');

    expectProblem(await call('admin', 'GET', '/admin/dlq?parked=maybe'), 400, 'validation');
    expectProblem(await call('admin', 'GET', '/admin/dlq?from=soon'), 400, 'validation');
    expectProblem(await call('admin', 'GET', `/admin/dlq?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(from)}`), 400, 'validation');
    expect((await call('submitterA', 'GET', '/admin/dlq')).status).toBe(403);
  });

  it('purges a dead job for good, audited; a live job is a 409', async () => {
    const [dead] = await deadJobs('submitterA', 1);
    expect((await call('admin', 'DELETE', `/admin/dlq/${dead}`)).status).toBe(204);
    expect((await call('admin', 'GET', `/admin/dlq/${dead}`)).status).toBe(404);
    expect(await schema.query(`SELECT 1 FROM job_transitions WHERE job_id = $1`, [dead])).toEqual([]);
    expect((await call('admin', 'DELETE', `/admin/dlq/${dead}`)).status).toBe(404);
    const live = await ok('submitterA', 'POST', '/jobs', { type: 'sleep', delaySeconds: 600 });
    expectProblem(await call('admin', 'DELETE', `/admin/dlq/${live.jobId}`), 409, 'job-not-dead');
    const audit = (await ok('admin', 'GET', '/admin/audit?action=dlq.purge')) as { items: any[] };
    expect(audit.items).toEqual([expect.objectContaining({ target: dead, tenant: TENANT_A, actor: 'ops' })]);
  });

  it('a dry run counts what a real run then replays; replays that die again are parked and left out', async () => {
    const from = since();
    const dead = await deadJobs('submitterB', 3, { failAttempts: 33 });
    const filter = { tenant: TENANT_B, from, errorText: 'of 33' };

    const preview = await call('admin', 'POST', '/admin/dlq/replay', { filter, dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(3);
    expect(preview.body.items.map((item: any) => item.jobId).sort()).toEqual([...dead].sort());
    expect((await ok('admin', 'GET', '/admin/audit?action=dlq.replay.bulk')).items).toEqual([]);

    const run = await call('admin', 'POST', '/admin/dlq/replay', { filter, ratePerSecond: 100 });
    expect(run.status).toBe(202);
    expect(run.body.count).toBe(3);
    await bulkDone(run.body.jobId);
    expect(await resultOf(run.body.jobId)).toEqual({ matched: 3, replayed: 3, skipped: 0, failed: 0 });

    // The replays (same payload) die again: parked, not replayed by the next bulk run unless asked.
    const replays = await schema.query<{ new_job_id: string }>(`SELECT new_job_id FROM job_replays WHERE dead_job_id = ANY($1::uuid[])`, [dead]);
    expect(replays).toHaveLength(3);
    for (const { new_job_id } of replays) await waitForStatus(app.baseUrl, new_job_id, ['DEAD'], 30_000, as('admin'));
    const parked = await dlq(`tenant=${TENANT_B}&from=${encodeURIComponent(from)}&parked=true`);
    expect(parked.items.map((item) => item.jobId).sort()).toEqual(replays.map((row) => row.new_job_id).sort());
    expect((await ok('admin', 'POST', '/admin/dlq/replay', { filter, dryRun: true })).count).toBe(0);
    expect((await ok('admin', 'POST', '/admin/dlq/replay', { filter: { ...filter, includeParked: true }, dryRun: true })).count).toBe(3);

    const audit = (await ok('admin', 'GET', '/admin/audit?action=dlq.replay.bulk')) as { items: any[] };
    expect(audit.items).toEqual([expect.objectContaining({ actor: 'ops', details: expect.objectContaining({ count: 3, bulkJobId: run.body.jobId, ratePerSecond: 100 }) })]);
  });

  it('two overlapping bulk runs replay each dead job once, at no more than the given rate, with the patch applied', async () => {
    const from = since();
    const dead = await deadJobs('submitterA', 5);
    const body = { filter: { tenant: TENANT_A, from }, ratePerSecond: 4, payloadPatch: { failAttempts: 0, result: { fixed: true } } };
    const [one, two] = await Promise.all([ok('admin', 'POST', '/admin/dlq/replay', body), ok('admin', 'POST', '/admin/dlq/replay', body)]);
    await Promise.all([bulkDone(one.jobId), bulkDone(two.jobId)]);
    const [first, second] = await Promise.all([resultOf(one.jobId), resultOf(two.jobId)]);
    expect(first.replayed + second.replayed).toBe(5);
    expect(first.replayed + first.skipped).toBe(5);
    expect(second.replayed + second.skipped).toBe(5);

    const rows = await schema.query<{ dead_job_id: string; new_job_id: string; created_at: Date }>(
      `SELECT r.dead_job_id, r.new_job_id, j.created_at FROM job_replays r JOIN jobs j ON j.id = r.new_job_id
       WHERE r.dead_job_id = ANY($1::uuid[]) ORDER BY j.created_at`,
      [dead],
    );
    expect(rows.map((row) => row.dead_job_id).sort()).toEqual([...dead].sort());
    for (const row of rows) await waitForStatus(app.baseUrl, row.new_job_id, ['COMPLETED'], 30_000, as('admin'));
    expect(await ok('admin', 'GET', `/jobs/${rows[0].new_job_id}/result`)).toEqual({ fixed: true });

    // Rate, per run: its n-th replay is no earlier than (n-1)/rate after its start. The five are split between
    // the runs (one may find a dead job already replayed by the other), so one run made at least three of
    // them: at least 2 × 250 ms apart. The single-run test below checks the rate exactly.
    const spanMs = rows[rows.length - 1].created_at.getTime() - rows[0].created_at.getTime();
    expect(spanMs).toBeGreaterThanOrEqual(450);
  });

  it('a single bulk run replays at no more than the given rate', async () => {
    const from = since();
    const dead = await deadJobs('submitterB', 5);
    const run = await ok('admin', 'POST', '/admin/dlq/replay', { filter: { tenant: TENANT_B, from }, ratePerSecond: 4 });
    await bulkDone(run.jobId);
    expect(await resultOf(run.jobId)).toEqual({ matched: 5, replayed: 5, skipped: 0, failed: 0 });
    const rows = await schema.query<{ created_at: Date }>(
      `SELECT j.created_at FROM job_replays r JOIN jobs j ON j.id = r.new_job_id WHERE r.dead_job_id = ANY($1::uuid[]) ORDER BY j.created_at`,
      [dead],
    );
    expect(rows).toHaveLength(5);
    // The fifth replay no earlier than 4 × 250 ms after the run started, the first right at its start.
    expect(rows[4].created_at.getTime() - rows[0].created_at.getTime()).toBeGreaterThanOrEqual(900);
  });

  it('a bulk run is cancellable and reports progress; a tenant cannot start one by submitting the type', async () => {
    const from = since();
    await deadJobs('submitterB', 4);
    const run = await ok('admin', 'POST', '/admin/dlq/replay', { filter: { tenant: TENANT_B, from }, ratePerSecond: 1 });
    await waitFor(async () => (await ok('admin', 'GET', `/jobs/${run.jobId}`)).progress.percent > 0, { what: 'bulk progress' });
    await ok('admin', 'POST', `/jobs/${run.jobId}/cancel`);
    await waitForStatus(app.baseUrl, run.jobId, ['CANCELLED'], 30_000, as('admin'));
    const replays = await schema.query(
      `SELECT 1 FROM job_replays r JOIN jobs d ON d.id = r.dead_job_id WHERE d.tenant = $1 AND d.finished_at >= $2`,
      [TENANT_B, from],
    );
    expect(replays.length).toBeLessThan(4);

    // The bulk replay type is internal: a client cannot submit it, and the contract does not list it.
    const sneaky = expectProblem(await call('submitterA', 'POST', '/jobs', { type: 'dlq.replay', payload: { filter: {}, ratePerSecond: 1000 } }), 422, 'unknown-job-type');
    expect(sneaky.knownTypes).not.toContain('dlq.replay');
    expectProblem(await call('admin', 'POST', '/jobs', { type: 'dlq.replay', payload: { filter: {}, ratePerSecond: 1000 } }), 422, 'unknown-job-type');
    expectProblem(await call('admin', 'POST', '/admin/dlq/replay', { filter: { tenant: '*' } }), 400, 'validation');
    expectProblem(await call('admin', 'POST', '/admin/dlq/replay', { ratePerSecond: 0 }), 400, 'validation');
    expect((await call('submitterA', 'POST', '/admin/dlq/replay', { dryRun: true })).status).toBe(403);
  });
});
