import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitForStatus } from './support/http.js';
import { expectProblem } from './support/jobs.js';
import { API_KEYS, TENANT_A, as, keyedClient } from './support/security.js';
import { waitFor } from './support/wait-for.js';

/** The audit trail: every admin and security-relevant action leaves one append-only row. */
describe('audit trail', () => {
  let schema: TestSchema;
  let app: AppProcess;

  const { call, ok } = keyedClient(() => app.baseUrl);
  const audit = async (query: string) => (await ok('admin', 'GET', `/admin/audit?${query}`)) as { items: any[]; nextCursor: string | null };

  beforeAll(async () => {
    schema = await createTestSchema('audit');
    app = await startApp({
      ...schema.env,
      API_KEYS,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      RETRY_BASE_DELAY_MS: '50',
      DAILY_REPORT_ENABLED: 'false',
      RETENTION_INTERVAL_MS: '1000',
      AUDIT_RETENTION_DAYS: '30',
    });
  });

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  it('records replay, cancel, subscription and schedule changes with who, tenant, address and request id', async () => {
    const dead = await ok('submitterA', 'POST', '/jobs', { type: 'sleep', maxAttempts: 1, payload: { failAttempts: 1 } });
    await waitForStatus(app.baseUrl, dead.jobId, ['DEAD'], 30_000, as('admin'));
    const replay = await ok('admin', 'POST', `/admin/dlq/${dead.jobId}/replay`, {}, { 'x-request-id': 'req-replay-1' });

    const live = await ok('submitterA', 'POST', '/jobs', { type: 'sleep', delaySeconds: 600 });
    await ok('submitterA', 'POST', `/jobs/${live.jobId}/cancel`);

    const hook = await ok('submitterA', 'POST', '/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['job.dead'] });
    await ok('submitterA', 'POST', `/webhooks/${hook.id}/rotate-secret`, {});
    await ok('submitterA', 'DELETE', `/webhooks/${hook.id}`);

    const schedule = await ok('submitterA', 'POST', '/schedules', { name: 'audited', cron: '0 0 1 1 *', job: { type: 'sleep' } });
    await ok('submitterA', 'PATCH', `/schedules/${schedule.id}`, { cron: '0 0 2 1 *' });
    await ok('submitterA', 'DELETE', `/schedules/${schedule.id}`);

    const { items } = await audit('limit=200');
    const actions = items.map((item) => `${item.action} ${item.target}`).reverse();
    expect(actions).toEqual([
      `dlq.replay ${dead.jobId}`,
      `job.cancel ${live.jobId}`,
      `webhook.subscription.create ${hook.id}`,
      `webhook.subscription.rotate ${hook.id}`,
      `webhook.subscription.delete ${hook.id}`,
      `schedule.create ${schedule.id}`,
      `schedule.update ${schedule.id}`,
      `schedule.delete ${schedule.id}`,
    ]);
    const replayRow = items.find((item) => item.action === 'dlq.replay');
    expect(replayRow).toMatchObject({
      actor: 'ops',
      actorRole: 'admin',
      tenant: TENANT_A,
      remoteAddress: '127.0.0.1',
      requestId: 'req-replay-1',
      details: { newJobId: replay.jobId, payloadChanged: false },
    });
    expect(items.find((item) => item.action === 'job.cancel')).toMatchObject({ actor: 'a-ci', actorRole: 'submitter', tenant: TENANT_A });
    expect(JSON.stringify(items)).not.toContain(hook.secret);
  });

  it('filters by action, actor, tenant and time, and pages with a cursor', async () => {
    expect((await audit('action=schedule.update')).items.map((item) => item.action)).toEqual(['schedule.update']);
    expect((await audit('actor=ops')).items.every((item) => item.actor === 'ops')).toBe(true);
    expect((await audit(`tenant=${TENANT_A}&limit=200`)).items.length).toBeGreaterThanOrEqual(8);
    expect((await audit('tenant=nobody')).items).toEqual([]);
    expect((await audit(`from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).items).toEqual([]);
    expect((await audit(`to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await audit(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await audit('limit=200')).items.map((item) => item.id);
    expect(seen).toEqual(all);

    expectProblem(await call('admin', 'GET', '/admin/audit?cursor=bogus'), 400, 'validation');
    expectProblem(await call('admin', 'GET', '/admin/audit?from=yesterday'), 400, 'validation');
    expect((await call('submitterA', 'GET', '/admin/audit')).status).toBe(403);
  });

  it('cannot be edited: the table refuses UPDATE, DELETE and TRUNCATE, and the API has no route for it', async () => {
    await expect(schema.query(`UPDATE audit_log SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(schema.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(schema.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const [{ id }] = (await audit('limit=1')).items;
    for (const method of ['PUT', 'PATCH', 'DELETE']) expect((await call('admin', method, `/admin/audit/${id}`, method === 'DELETE' ? undefined : {})).status).toBe(404);
    expect((await call('admin', 'DELETE', '/admin/audit')).status).toBe(404);
  });

  it('expires rows after AUDIT_RETENTION_DAYS through the retention pass', async () => {
    const [old] = await schema.query<{ id: string }>(
      `INSERT INTO audit_log (at, actor, actor_role, tenant, action) VALUES (now() - interval '31 days', 'ops', 'admin', 'default', 'old.action') RETURNING id`,
    );
    const [recent] = await schema.query<{ id: string }>(
      `INSERT INTO audit_log (at, actor, actor_role, tenant, action) VALUES (now() - interval '29 days', 'ops', 'admin', 'default', 'recent.action') RETURNING id`,
    );
    await waitFor(async () => (await schema.query(`SELECT 1 FROM audit_log WHERE id = $1`, [old.id])).length === 0, {
      timeoutMs: 20_000,
      what: 'the expired audit row to be deleted',
    });
    expect(await schema.query(`SELECT action FROM audit_log WHERE id = $1`, [recent.id])).toEqual([{ action: 'recent.action' }]);
  });
});
