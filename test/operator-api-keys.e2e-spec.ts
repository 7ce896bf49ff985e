import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http } from './support/http.js';
import { expectProblem } from './support/jobs.js';
import { API_KEYS, as } from './support/security.js';
import { waitFor } from './support/wait-for.js';

/** Keys made at run time: shown once, stored as digests, usable on every node at once, dead everywhere within seconds of deletion. */
describe('managed API keys across two nodes', () => {
  let schema: TestSchema;
  let first: AppProcess;
  let second: AppProcess;

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    schema = await createTestSchema('api_keys');
    const env = { ...schema.env, API_KEYS, DAILY_REPORT_ENABLED: 'false' };
    first = await startApp(env);
    // A long cache: only the change notification can make the second node forget a deleted key in time.
    second = await startApp({ ...env, APP_ROLE: 'api', API_KEY_CACHE_MS: '600000' });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await schema?.drop();
  });

  it('a key created on one node works at once on the other, and stops working there within seconds of its deletion', async () => {
    const created = await http(first.baseUrl, '/admin/api-keys', { method: 'POST', headers: as('admin'), json: { label: 'rotated-ci', role: 'submitter', tenant: 'tenant-c' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ label: 'rotated-ci', role: 'submitter', tenant: 'tenant-c', createdBy: 'ops', lastUsedAt: null, key: expect.stringMatching(/^lhk_/) });
    const key = created.body.key as string;

    const submitted = await http(second.baseUrl, '/jobs', { method: 'POST', headers: bearer(key), json: { type: 'sleep', delaySeconds: 600 } });
    expect(submitted.status).toBe(202);
    expect((await http(second.baseUrl, `/jobs/${submitted.body.jobId}`, { headers: bearer(key) })).body.tenant).toBe('tenant-c');
    expect((await http(second.baseUrl, '/admin/dlq', { headers: bearer(key) })).status).toBe(403);

    // Stored as a digest; listed without a secret; its last use recorded.
    const [row] = await schema.query<{ digest: Buffer }>(`SELECT digest FROM api_keys WHERE label = 'rotated-ci'`);
    expect(row.digest.toString('utf8')).not.toContain(key);
    expect(row.digest).toHaveLength(32);
    const listed = await waitFor(async () => {
      const list = await http(first.baseUrl, '/admin/api-keys', { headers: as('admin') });
      const item = list.body.items.find((entry: any) => entry.id === created.body.id);
      return item?.lastUsedAt ? list : false;
    }, { what: 'the key’s last use to be recorded' });
    expect(listed.text).not.toContain(key);

    expect((await http(first.baseUrl, `/admin/api-keys/${created.body.id}`, { method: 'DELETE', headers: as('admin') })).status).toBe(204);
    const refused = await waitFor(
      async () => {
        const answer = await http(second.baseUrl, '/jobs?limit=1', { headers: bearer(key) });
        return answer.status === 401 ? answer : false;
      },
      { timeoutMs: 10_000, what: 'the second node to refuse the deleted key' },
    );
    expectProblem(refused, 401, 'unauthorized');
    expect((await http(first.baseUrl, '/jobs?limit=1', { headers: bearer(key) })).status).toBe(401);

    const audit = await http(first.baseUrl, '/admin/audit?actor=ops', { headers: as('admin') });
    const actions = audit.body.items.filter((item: any) => item.action.startsWith('apikey.'));
    expect(actions.map((item: any) => `${item.action} ${item.target}`)).toEqual([`apikey.delete ${created.body.id}`, `apikey.create ${created.body.id}`]);
    expect(audit.text).not.toContain(key);
  });

  it('keeps API_KEYS working, refuses a taken label, bad input and non-admins', async () => {
    expect((await http(second.baseUrl, '/jobs?limit=1', { headers: as('submitterA') })).status).toBe(200);
    const clash = await http(first.baseUrl, '/admin/api-keys', { method: 'POST', headers: as('admin'), json: { label: 'ops', role: 'admin' } });
    expectProblem(clash, 409, 'api-key-label-taken');
    const body = { label: 'twice', role: 'reader' };
    expect((await http(first.baseUrl, '/admin/api-keys', { method: 'POST', headers: as('admin'), json: body })).status).toBe(201);
    expectProblem(await http(first.baseUrl, '/admin/api-keys', { method: 'POST', headers: as('admin'), json: body }), 409, 'api-key-label-taken');
    expectProblem(await http(first.baseUrl, '/admin/api-keys', { method: 'POST', headers: as('admin'), json: { label: 'x', role: 'root' } }), 400, 'validation');
    expectProblem(await http(first.baseUrl, '/admin/api-keys/not-a-uuid', { method: 'DELETE', headers: as('admin') }), 404, 'api-key-not-found');
    expect((await http(first.baseUrl, '/admin/api-keys', { headers: as('submitterA') })).status).toBe(403);
    expect((await http(first.baseUrl, '/jobs', { headers: bearer('lhk_made-up-key-that-nobody-has') })).status).toBe(401);
  });
});
