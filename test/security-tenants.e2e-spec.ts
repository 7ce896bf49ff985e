import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitForStatus, type HttpAnswer } from './support/http.js';
import { API_KEYS, KEYS, TENANT_A, TENANT_B, as, keyedClient, leakedSecrets, receiver, type Principal } from './support/security.js';
import { waitFor } from './support/wait-for.js';

/**
 * The tenant matrix: every route × {admin, submitter of A, submitter of B, reader of A, no key}.
 * Tenant A owns every resource below; B must meet each of them exactly like one that does not exist.
 */
type Kind = 'read' | 'write' | 'admin';
type Expected = 'found' | 401 | 403 | 404;

const EXPECTED: Record<Kind, Record<Principal, Expected>> = {
  read: { admin: 'found', submitterA: 'found', readerA: 'found', submitterB: 404, none: 401 },
  write: { admin: 'found', submitterA: 'found', readerA: 403, submitterB: 404, none: 401 },
  admin: { admin: 'found', submitterA: 403, readerA: 403, submitterB: 403, none: 401 },
};
/** Refusals first, so B and the reader meet each resource while it still exists. */
const ORDER: readonly Principal[] = ['none', 'submitterB', 'readerA', 'submitterA', 'admin'];

interface Route {
  method: string;
  /** The path; `id` stands for the resource id (replaced by an unknown one for the "missing" comparison). */
  path: (principal: Principal) => { path: string; id?: string };
  body?: unknown;
  kind: Kind;
}

/** "found": the route reached the resource (a state conflict, 409, still means it exists). */
function matches(answer: HttpAnswer, expected: Expected): boolean {
  if (expected === 'found') return (answer.status >= 200 && answer.status < 400) || answer.status === 409;
  return answer.status === expected;
}

describe('tenant isolation: every route × every kind of caller', () => {
  let schema: TestSchema;
  let app: AppProcess;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  const ids: Record<string, string> = {};
  const secrets: string[] = [];

  const { call } = keyedClient(() => app.baseUrl);
  const created = async (principal: Principal, path: string, body: unknown): Promise<any> => {
    const answer = await call(principal, 'POST', path, body);
    if (answer.status >= 300) throw new Error(`POST ${path} as ${principal}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const job = async (principal: Principal, body: unknown, until: string[]) => {
    const { jobId } = await created(principal, '/jobs', body);
    await waitForStatus(app.baseUrl, jobId, until, 30_000, as(principal));
    return jobId as string;
  };
  const window = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });
  const hook = async (principal: Principal, path: string) => {
    const body = await created(principal, '/webhooks', {
      url: `http://127.0.0.1:${hooks.port}${path}`,
      events: ['job.complete', 'job.failed', 'job.dead', 'job.cancelled'],
    });
    secrets.push(body.secret);
    return body.id as string;
  };
  const schedule = async (name: string) => (await created('submitterA', '/schedules', { name, cron: '0 0 1 1 *', job: { type: 'sleep', payload: { ms: 10 } } })).id as string;

  beforeAll(async () => {
    schema = await createTestSchema('sec_tenants');
    hooks = await receiver();
    app = await startApp({
      ...schema.env,
      API_KEYS,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_BACKOFF_MS: '100',
      RETRY_BASE_DELAY_MS: '100',
      DAILY_REPORT_ENABLED: 'false',
    });
    ids.webhook = await hook('submitterA', '/a');
    ids.webhookB = await hook('submitterB', '/b');
    ids.webhookDelA = await hook('submitterA', '/a-del-1');
    ids.webhookDelAdmin = await hook('submitterA', '/a-del-2');
    ids.job = await job('submitterA', { type: 'sleep', payload: { ms: 10, result: { owner: 'a' } } }, ['COMPLETED']);
    ids.long = await job('submitterA', { type: 'sleep', payload: { ms: 600_000 } }, ['RUNNING', 'QUEUED']);
    ids.dead = await job('submitterA', { type: 'sleep', maxAttempts: 1, payload: { failAttempts: 5 } }, ['DEAD']);
    ids.jobB = await job('submitterB', { type: 'sleep', payload: { ms: 10 } }, ['COMPLETED']);
    const report = await created('submitterA', '/reports', window());
    await waitForStatus(app.baseUrl, report.jobId, ['COMPLETED'], 30_000, as('submitterA'));
    ids.report = report.jobId;
    ids.delivery = (await created('submitterA', `/webhooks/${ids.webhook}/test`, undefined)).id;
    await waitFor(async () => (await call('submitterA', 'GET', `/webhooks/${ids.webhook}/deliveries`)).body.items.some((d: any) => d.id === ids.delivery && d.status === 'delivered'), {
      what: 'the test delivery',
    });
    ids.schedule = await schedule('nightly-a');
    ids.scheduleDelA = await schedule('delete-me-a');
    ids.scheduleDelAdmin = await schedule('delete-me-admin');
  });

  afterAll(async () => {
    await app?.stop();
    await hooks?.close();
    await schema?.drop();
  });

  const one = (path: (id: string) => string, key: string) => () => ({ path: path(ids[key]), id: ids[key] });
  const perPrincipal = (path: (id: string) => string, forA: string, forAdmin: string) => (principal: Principal) => {
    const key = principal === 'admin' ? forAdmin : forA;
    return { path: path(ids[key]), id: ids[key] };
  };

  const ROUTES: Record<string, Route> = {
    'GET /jobs/{id}': { method: 'GET', path: one((id) => `/jobs/${id}`, 'job'), kind: 'read' },
    'GET /jobs/{id}/status': { method: 'GET', path: one((id) => `/jobs/${id}/status`, 'job'), kind: 'read' },
    'GET /jobs/{id}/history': { method: 'GET', path: one((id) => `/jobs/${id}/history`, 'job'), kind: 'read' },
    'GET /jobs/{id}/result': { method: 'GET', path: one((id) => `/jobs/${id}/result`, 'job'), kind: 'read' },
    'GET /jobs/{id}/progress (SSE)': { method: 'GET', path: one((id) => `/jobs/${id}/progress`, 'job'), kind: 'read' },
    'GET /jobs/progress?ids= (SSE)': { method: 'GET', path: one((id) => `/jobs/progress?ids=${id}`, 'job'), kind: 'read' },
    'GET /reports/{id}': { method: 'GET', path: one((id) => `/reports/${id}`, 'report'), kind: 'read' },
    'GET /reports/{id}/result': { method: 'GET', path: one((id) => `/reports/${id}/result`, 'report'), kind: 'read' },
    'GET /webhooks/{id}': { method: 'GET', path: one((id) => `/webhooks/${id}`, 'webhook'), kind: 'read' },
    'GET /webhooks/{id}/deliveries': { method: 'GET', path: one((id) => `/webhooks/${id}/deliveries`, 'webhook'), kind: 'read' },
    'GET /schedules/{id}': { method: 'GET', path: one((id) => `/schedules/${id}`, 'schedule'), kind: 'read' },
    'POST /jobs/{id}/cancel': { method: 'POST', path: one((id) => `/jobs/${id}/cancel`, 'long'), kind: 'write' },
    'PATCH /webhooks/{id}': { method: 'PATCH', path: one((id) => `/webhooks/${id}`, 'webhook'), body: { description: 'changed' }, kind: 'write' },
    'POST /webhooks/{id}/rotate-secret': { method: 'POST', path: one((id) => `/webhooks/${id}/rotate-secret`, 'webhook'), body: { overlapSeconds: 0 }, kind: 'write' },
    'POST /webhooks/{id}/test': { method: 'POST', path: one((id) => `/webhooks/${id}/test`, 'webhook'), kind: 'write' },
    'POST /webhooks/deliveries/{id}/redeliver': { method: 'POST', path: one((id) => `/webhooks/deliveries/${id}/redeliver`, 'delivery'), kind: 'write' },
    'DELETE /webhooks/{id}': { method: 'DELETE', path: perPrincipal((id) => `/webhooks/${id}`, 'webhookDelA', 'webhookDelAdmin'), kind: 'write' },
    'PATCH /schedules/{id}': { method: 'PATCH', path: one((id) => `/schedules/${id}`, 'schedule'), body: { timezone: 'Europe/Berlin' }, kind: 'write' },
    'POST /schedules/{id}/pause': { method: 'POST', path: one((id) => `/schedules/${id}/pause`, 'schedule'), kind: 'write' },
    'POST /schedules/{id}/resume': { method: 'POST', path: one((id) => `/schedules/${id}/resume`, 'schedule'), kind: 'write' },
    'POST /schedules/{id}/trigger': { method: 'POST', path: one((id) => `/schedules/${id}/trigger`, 'schedule'), kind: 'write' },
    'DELETE /schedules/{id}': { method: 'DELETE', path: perPrincipal((id) => `/schedules/${id}`, 'scheduleDelA', 'scheduleDelAdmin'), kind: 'write' },
    'GET /admin/dlq': { method: 'GET', path: () => ({ path: '/admin/dlq' }), kind: 'admin' },
    'GET /admin/dlq/{id}': { method: 'GET', path: one((id) => `/admin/dlq/${id}`, 'dead'), kind: 'admin' },
    'POST /admin/dlq/{id}/replay': { method: 'POST', path: one((id) => `/admin/dlq/${id}/replay`, 'dead'), body: {}, kind: 'admin' },
    'GET /metrics': { method: 'GET', path: () => ({ path: '/metrics' }), kind: 'admin' },
  };

  it.each(Object.keys(ROUTES))('%s', async (name) => {
    const route = ROUTES[name];
    const outcomes: string[] = [];
    for (const principal of ORDER) {
      const { path, id } = route.path(principal);
      const answer = await call(principal, route.method, path, route.body);
      const expected = EXPECTED[route.kind][principal];
      if (!matches(answer, expected)) outcomes.push(`${principal}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 200)}`);
      if (answer.status >= 400) expect(answer.headers.get('content-type')).toContain('application/problem+json');
      if (expected === 404 && id) {
        // Another tenant's resource is indistinguishable from one that does not exist.
        const missing = await call(principal, route.method, path.replace(id, randomUUID()), route.body);
        const shape = (a: HttpAnswer) => ({ status: a.status, type: a.body?.type, title: a.body?.title, keys: Object.keys(a.body ?? {}).sort() });
        expect(shape(answer)).toEqual(shape(missing));
      }
    }
    expect(outcomes).toEqual([]);
  });

  describe('lists show only the caller’s tenant; admins see all and may filter', () => {
    it.each([
      ['/jobs', 'job', (item: any) => item.jobId],
      ['/webhooks', 'webhook', (item: any) => item.id],
      ['/schedules', 'schedule', (item: any) => item.id],
      [`/webhooks/deliveries?jobId=$job`, 'job', (item: any) => item.jobId],
    ] as const)('%s', async (base, key, idOf) => {
      const path = base.replace('$job', ids.job);
      const seen = async (principal: Principal, suffix = '') => {
        const answer = await call(principal, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=200${suffix}`);
        expect(answer.status).toBe(200);
        return (answer.body.items as unknown[]).map(idOf);
      };
      expect(await seen('submitterA')).toContain(ids[key]);
      expect(await seen('readerA')).toContain(ids[key]);
      expect(await seen('admin')).toContain(ids[key]);
      expect(await seen('submitterB')).not.toContain(ids[key]);
      expect(await seen('admin', `&tenant=${TENANT_B}`)).not.toContain(ids[key]);
      expect(await seen('admin', `&tenant=${TENANT_A}`)).toContain(ids[key]);
      const peek = await call('submitterB', 'GET', `${path}${path.includes('?') ? '&' : '?'}tenant=${TENANT_A}`);
      expect(peek.status).toBe(403);
      expect((await call('none', 'GET', path)).status).toBe(401);
    });

    it('the dead letter list is for admins, across tenants or one', async () => {
      const list = async (suffix: string) => (await call('admin', 'GET', `/admin/dlq${suffix}`)).body.items.map((item: any) => item.jobId);
      expect(await list('')).toContain(ids.dead);
      expect(await list(`?tenant=${TENANT_A}`)).toContain(ids.dead);
      expect(await list(`?tenant=${TENANT_B}`)).not.toContain(ids.dead);
    });
  });

  describe('creating: readers may not, everyone else creates in their own tenant', () => {
    const bodies: Record<string, () => unknown> = {
      '/jobs': () => ({ type: 'sleep', payload: { ms: 1 } }),
      '/reports': () => window(),
      '/webhooks': () => ({ url: `http://127.0.0.1:${hooks.port}/created`, events: ['job.dead'] }),
      '/schedules': () => ({ name: `created-${randomUUID()}`, cron: '0 0 1 1 *', job: { type: 'sleep' } }),
    };
    it.each(Object.keys(bodies))('POST %s', async (path) => {
      expect((await call('none', 'POST', path, bodies[path]())).status).toBe(401);
      expect((await call('readerA', 'POST', path, bodies[path]())).status).toBe(403);
      for (const [principal, tenant] of [['submitterA', TENANT_A], ['submitterB', TENANT_B]] as const) {
        const answer = await call(principal, 'POST', path, bodies[path]());
        expect(answer.status).toBeLessThan(300);
        if (answer.body.secret) secrets.push(answer.body.secret);
        const id = answer.body.jobId ?? answer.body.id;
        const view = await call(principal, 'GET', `${path === '/reports' ? '/jobs' : path}/${id}${path === '/jobs' || path === '/reports' ? '/status' : ''}`);
        expect(view.status).toBe(200);
        if (path !== '/jobs' && path !== '/reports') expect(view.body.tenant).toBe(tenant);
        expect((await call(principal === 'submitterA' ? 'submitterB' : 'submitterA', 'GET', `${path === '/reports' ? '/jobs' : path}/${id}`)).status).toBe(404);
      }
      expect((await call('admin', 'POST', path, bodies[path]())).status).toBeLessThan(300);
    });
  });

  it('a subscription receives only its own tenant’s events', async () => {
    await waitFor(() => hooks.received.some((hit) => hit.path === '/b' && hit.body.includes(ids.jobB)), { what: 'B’s event at B’s hook' });
    await waitFor(() => hooks.received.some((hit) => hit.path === '/a' && hit.body.includes(ids.job)), { what: 'A’s event at A’s hook' });
    const jobsAt = (path: string) => hooks.received.filter((hit) => hit.path === path).map((hit) => JSON.parse(hit.body).data?.jobId as string | undefined);
    expect(jobsAt('/a')).not.toContain(ids.jobB);
    expect(jobsAt('/b')).not.toContain(ids.job);
    expect(jobsAt('/b')).not.toContain(ids.dead);
  });

  it('a schedule’s jobs run as its tenant, and a replay stays in the dead job’s tenant', async () => {
    const triggered = await created('submitterA', `/schedules/${ids.schedule}/trigger`, undefined);
    expect((await call('submitterA', 'GET', `/jobs/${triggered.jobId}/status`)).status).toBe(200);
    expect((await call('submitterB', 'GET', `/jobs/${triggered.jobId}`)).status).toBe(404);
    expect((await call('admin', 'GET', `/jobs/${triggered.jobId}`)).body.tenant).toBe(TENANT_A);
    const replay = await created('admin', `/admin/dlq/${ids.dead}/replay`, {});
    expect((await call('admin', 'GET', `/jobs/${replay.jobId}`)).body.tenant).toBe(TENANT_A);
    expect((await call('submitterA', 'GET', `/jobs/${replay.jobId}/status`)).status).toBe(200);
    expect((await call('submitterB', 'GET', `/jobs/${replay.jobId}/status`)).status).toBe(404);
  });

  it('the activity report covers the caller’s tenant; admins choose one or get all', async () => {
    const report = async (principal: Principal, extra: object = {}) => {
      const { jobId } = await created(principal, '/reports', { ...window(), ...extra });
      await waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 30_000, as(principal));
      return (await call(principal, 'GET', `/reports/${jobId}/result`)).body.totals.total as number;
    };
    const ofB = await report('submitterB');
    const jobsOfB = (await call('submitterB', 'GET', '/jobs?limit=200')).body.items.length;
    expect(ofB).toBe(jobsOfB);
    expect(await report('admin', { tenant: TENANT_B })).toBe(jobsOfB + 1); // … plus the admin's report job, made in B
    expect(await report('admin')).toBeGreaterThan(jobsOfB + 1);
    expect((await call('submitterB', 'POST', '/reports', { ...window(), tenant: TENANT_A })).status).toBe(403);
  });

  it('wrote no API key and no webhook secret to the log', () => {
    expect(leakedSecrets(app.logs(), [...Object.values(KEYS), ...secrets])).toEqual([]);
  });
});
