import { startApp, type AppProcess } from './support/app-process.js';
import { http } from './support/http.js';

const ADMIN = 'admin-secret-0123456789';
const SUBMITTER = 'submitter-secret-0123456789';
const READER = 'reader-secret-0123456789';

describe('API keys (API_KEYS set)', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp({ API_KEYS: `admin:ops:${ADMIN},submitter:ci:${SUBMITTER},reader:grafana:${READER}` });
  });

  afterAll(async () => {
    await app?.stop();
  });

  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('answers 401 problem without a key, and keeps health and docs public', async () => {
    const refused = await http(app.baseUrl, '/jobs');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    expect((await http(app.baseUrl, '/jobs', { headers: as('wrong-key-0123456789') })).status).toBe(401);
    expect((await http(app.baseUrl, '/health/live')).status).toBe(200);
    expect((await http(app.baseUrl, '/docs-json')).status).toBe(200);
  });

  it('lets a submitter submit, owning the job, and scopes idempotency keys per caller', async () => {
    const headers = { ...as(SUBMITTER), 'Idempotency-Key': 'same-key' };
    const first = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep' }, headers });
    expect(first.status).toBe(202);
    const otherCaller = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload: { ms: 1 } }, headers: { ...as(ADMIN), 'Idempotency-Key': 'same-key' } });
    expect(otherCaller.status).toBe(202);
    expect(otherCaller.body.jobId).not.toBe(first.body.jobId);
  });

  it('keeps readers to safe methods and /admin to admins', async () => {
    expect((await http(app.baseUrl, '/jobs', { headers: as(READER) })).status).toBe(200);
    expect((await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep' }, headers: as(READER) })).status).toBe(403);
    expect((await http(app.baseUrl, '/admin/dlq', { headers: as(SUBMITTER) })).status).toBe(403);
    expect((await http(app.baseUrl, '/admin/dlq', { headers: as(ADMIN) })).status).toBe(200);
    expect((await http(app.baseUrl, '/admin/dlq', { headers: { 'x-api-key': ADMIN } })).status).toBe(200);
  });

  it('accepts ?access_token= on GET only (EventSource cannot send headers)', async () => {
    expect((await http(app.baseUrl, `/jobs?access_token=${READER}`)).status).toBe(200);
    expect((await http(app.baseUrl, `/jobs?access_token=${SUBMITTER}`, { method: 'POST', json: { type: 'sleep' } })).status).toBe(401);
  });

  it('never writes a secret to the log', () => {
    expect(app.logs()).not.toContain(ADMIN);
    expect(app.logs()).not.toContain(SUBMITTER);
  });
});

describe('API_KEYS validation', () => {
  it('refuses to start with a malformed key list, naming the entry but not the secret', async () => {
    await expect(startApp({ API_KEYS: 'root:me:0123456789abcdef0' })).rejects.toThrow(/API_KEYS entry 1: role must be one of/);
  });
});
