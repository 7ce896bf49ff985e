import { connect, type Socket } from 'node:net';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http } from './support/http.js';
import { API_KEYS, KEYS, as, leakedSecrets, rawHttp, rawRequest } from './support/security.js';
import { waitFor } from './support/wait-for.js';

const NOISY = 'noisy-secret-0c1d2e3f4a5b6';
const RATE_LIMIT = 40;
const BACKLOG = 20;
const STREAMS = 2;
const MAX_CONNECTIONS = 30;
const REQUEST_TIMEOUT_MS = 1500;

const problemType = (slug: string) => `https://longhaul.dev/problems/${slug}`;

/** Input limits, server limits, rate limits and backpressure: what a cheap attacker would try first. */
describe('limits', () => {
  let schema: TestSchema;
  let app: AppProcess;

  beforeAll(async () => {
    schema = await createTestSchema('sec_limits');
    app = await startApp({
      ...schema.env,
      API_KEYS: `${API_KEYS},submitter:noisy:${NOISY}:tenant-noisy`,
      API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      MAX_QUEUED_JOBS_PER_TENANT: String(BACKLOG),
      SSE_MAX_STREAMS_PER_KEY: String(STREAMS),
      HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_HEADERS_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      DAILY_REPORT_ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  const post = (path: string, body: string, key: string = KEYS.submitterA) =>
    http(app.baseUrl, path, { method: 'POST', body, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });

  describe('request bodies', () => {
    it('refuses 60,000 keys with a 413 at once, without blocking the server', async () => {
      const body = JSON.stringify({ type: 'sleep', payload: Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])) });
      expect(body.length).toBeGreaterThan(600_000);
      const started = performance.now();
      const [answer, health] = await Promise.all([post('/jobs', body), http(app.baseUrl, '/health/live')]);
      expect(answer.status).toBe(413);
      expect(answer.body.type).toBe(problemType('json-too-large'));
      expect(health.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it('keeps validating 5,000 keys cheap', async () => {
      const body = JSON.stringify({ type: 'sleep', payload: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])) });
      const started = performance.now();
      const answer = await post('/jobs', body);
      expect(answer.status).toBe(400);
      expect(performance.now() - started).toBeLessThan(1500);
    });

    it('refuses JSON nested 5,000 deep with a 400, not a stack overflow', async () => {
      const answer = await post('/jobs', `{"type":"sleep","payload":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`);
      expect(answer.status).toBe(400);
      expect(answer.body.type).toBe(problemType('json-too-deep'));
    });

    it('caps a validation answer at 20 errors and counts the rest', async () => {
      const body = JSON.stringify({ type: 'sleep', ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`extra${i}`, i])) });
      const answer = await post('/jobs', body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toHaveLength(20);
      expect(answer.body.moreErrors).toBe(1980);
      expect(answer.text.length).toBeLessThan(10_000);
    });

    it.each([
      ['a NUL in a payload value', '{"type":"sleep","payload":{"result":"a\\u0000b"}}', 'payload.result'],
      ['a lone surrogate in a payload value', '{"type":"sleep","payload":{"result":"\\ud800"}}', 'payload.result'],
      ['a NUL in a key', '{"type":"sleep","payload":{"a\\u0000":1}}', 'payload."a\\u0000"'],
      ['null for an optional URL', '{"type":"sleep","callbackUrl":null}', 'callbackUrl'],
      ['null for an optional number', '{"type":"sleep","priority":null}', 'priority'],
      ['__proto__', '{"type":"sleep","__proto__":{"admin":true}}', undefined],
    ])('refuses %s with a 400 naming the field', async (_label, body, field) => {
      const answer = await post('/jobs', body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      if (field) expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('refuses NUL and lone surrogates in query strings and webhook fields', async () => {
      const query = await http(app.baseUrl, '/jobs?type=a%00b', { headers: as('submitterA') });
      expect(query.status).toBe(400);
      expect(query.body.errors[0].field).toBe('query.type');
      const hook = await post('/webhooks', '{"url":"http://127.0.0.1:9/x","events":["job.dead"],"description":"\\udfff"}');
      expect(hook.status).toBe(400);
      expect(hook.body.errors[0].field).toBe('description');
      const nullDescription = await post('/webhooks', '{"url":"http://127.0.0.1:9/x","events":["job.dead"],"description":null}');
      expect(nullDescription.status).toBe(400);
    });

    it.each(['/jobs', '/webhooks', '/schedules', '/admin/dlq'])('refuses malformed cursors on %s with a 400', async (path) => {
      for (const cursor of ['x', '%00', Buffer.from('2026-01-01T00:00:00.000Z|' + '-'.repeat(36)).toString('base64url'), 'A'.repeat(500), '["a",1]']) {
        const answer = await http(app.baseUrl, `${path}?cursor=${encodeURIComponent(cursor)}`, { headers: as('admin') });
        expect([path, cursor, answer.status]).toEqual([path, cursor, 400]);
      }
    });
  });

  describe('what the framework answers is problem+json too', () => {
    it.each([
      ['an unknown route', rawRequest('GET', '/nowhere', as('admin')), 404],
      ['an unknown key in the query string', rawRequest('GET', '/nowhere?access_token=leak-me-0123456789'), 401],
      ['bad percent-encoding', rawRequest('GET', '/jobs/%E0%A4%A', as('admin')), 400],
      ['a path segment too long', rawRequest('GET', `/jobs/${'a'.repeat(500)}`, as('admin')), 414],
      ['headers too large', rawRequest('GET', '/jobs', { ...as('admin'), 'x-big': 'a'.repeat(20_000) }), 431],
      ['an unknown method', 'FROB /jobs HTTP/1.1\r\nHost: x\r\n\r\n', 400],
      ['a malformed request line', 'GET /jobs HTTP/9\r\n\r\n', 400],
      ['a method without a route', rawRequest('PROPFIND', '/jobs', as('admin')), 404],
      ['a non-JSON body', `POST /jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${KEYS.admin}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi`, 415],
    ])('%s', async (_label, request, status) => {
      const answer = await rawHttp(app.port, request);
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(answer.body) as { status: number; instance?: string };
      expect(problem.status).toBe(status);
      expect(answer.body).not.toContain('leak-me');
    });

    it('times out a body that never finishes (408 problem, connection closed)', async () => {
      const started = Date.now();
      const answer = await rawHttp(app.port, `POST /jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEYS.admin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":`, 15_000);
      expect(answer.status).toBe(408);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    });

    it('times out headers that never finish', async () => {
      const answer = await rawHttp(app.port, 'GET /jobs HTTP/1.1\r\nHost: x\r\nX-Slow: ', 15_000);
      expect([0, 408]).toContain(answer.status);
    });
  });

  describe('rate limit, backpressure and stream caps', () => {
    it('a noisy key gets 429 with Retry-After and RateLimit-* headers; another key is unaffected', async () => {
      let refused: Awaited<ReturnType<typeof http>> | undefined;
      for (let i = 0; i <= RATE_LIMIT && !refused; i++) {
        const answer = await http(app.baseUrl, '/jobs?limit=1', { headers: { authorization: `Bearer ${NOISY}` } });
        if (answer.status === 429) refused = answer;
        else expect(answer.status).toBe(200);
      }
      expect(refused?.status).toBe(429);
      expect(refused?.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused?.headers.get('ratelimit-limit')).toBe(String(RATE_LIMIT));
      expect(refused?.headers.get('ratelimit-remaining')).toBe('0');
      expect(refused?.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
      expect((await http(app.baseUrl, '/jobs?limit=1', { headers: as('submitterB') })).status).toBe(200);
      expect((await http(app.baseUrl, '/health/ready')).status).toBe(200);
    });

    it('a tenant past its backlog gets 429 with Retry-After; another tenant still submits', async () => {
      const delayed = JSON.stringify({ type: 'sleep', delaySeconds: 3600 });
      for (let i = 0; i < BACKLOG; i++) expect((await post('/jobs', delayed, KEYS.submitterB)).status).toBe(202);
      const refused = await post('/jobs', delayed, KEYS.submitterB);
      expect(refused.status).toBe(429);
      expect(refused.body.type).toBe(problemType('backlog-full'));
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await post('/reports', JSON.stringify({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }), KEYS.submitterB)).status).toBe(429);
      expect((await post('/jobs', delayed, KEYS.submitterA)).status).toBe(202);
    });

    it(`caps open progress streams per key at ${STREAMS}`, async () => {
      const job = await post('/jobs', JSON.stringify({ type: 'sleep', delaySeconds: 3600 }), KEYS.admin);
      const streams = Array.from({ length: STREAMS }, () => new AbortController());
      const open = await Promise.all(
        streams.map((controller) => fetch(`${app.baseUrl}/jobs/${job.body.jobId}/progress`, { headers: as('admin'), signal: controller.signal })),
      );
      expect(open.map((response) => response.status)).toEqual(Array(STREAMS).fill(200));
      const refused = await http(app.baseUrl, `/jobs/${job.body.jobId}/progress`, { headers: as('admin') });
      expect(refused.status).toBe(429);
      expect(refused.body.type).toBe(problemType('too-many-streams'));
      const own = await post('/jobs', JSON.stringify({ type: 'sleep', delaySeconds: 3600 }), KEYS.submitterA);
      const other = await fetch(`${app.baseUrl}/jobs/progress?ids=${own.body.jobId}`, { headers: as('submitterA') });
      expect(other.status).toBe(200); // another key has a quota of its own
      await other.body?.cancel();
      streams.forEach((controller) => controller.abort());
      await waitFor(async () => {
        const again = await fetch(`${app.baseUrl}/jobs/${job.body.jobId}/progress`, { headers: as('admin'), signal: AbortSignal.timeout(2000) });
        await again.body?.cancel();
        return again.status === 200;
      }, { what: 'a stream slot to be free again' });
    });

    it(`accepts at most ${MAX_CONNECTIONS} connections at once`, async () => {
      const sockets: Socket[] = [];
      try {
        for (let i = 0; i < MAX_CONNECTIONS + 5; i++) {
          sockets.push(connect(app.port, '127.0.0.1'));
        }
        const closed = await waitFor(() => sockets.filter((socket) => socket.destroyed).length >= 5 && sockets.filter((socket) => socket.destroyed).length, {
          what: 'connections past the cap to be closed',
        });
        expect(closed).toBeGreaterThanOrEqual(5);
      } finally {
        sockets.forEach((socket) => socket.destroy());
      }
      await waitFor(async () => (await http(app.baseUrl, '/health/live').catch(() => null))?.status === 200, { what: 'the server to accept again' });
    });
  });

  it('wrote no API key to the log', () => {
    expect(leakedSecrets(app.logs(), [...Object.values(KEYS), NOISY])).toEqual([]);
  });
});
