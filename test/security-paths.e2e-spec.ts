import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { TEST_REDIS_URL, uniqueName } from './support/kafka.js';
import { API_KEYS, KEYS, as, leakedSecrets, rawHttp, rawRequest, type Principal } from './support/security.js';

/**
 * The path matrix: admin routes (the dead letter API and Bull Board, which is mounted outside Nest's
 * router) under every spelling a client can send, for every non-admin caller. Sent as raw bytes over
 * a socket, because fetch would normalise most of these before they left.
 */
describe('admin routes under every spelling of their path', () => {
  let schema: TestSchema;
  let app: AppProcess;
  let deadJob: string;
  let host: string;

  beforeAll(async () => {
    schema = await createTestSchema('sec_paths');
    app = await startApp({
      ...schema.env,
      API_KEYS,
      REDIS_URL: TEST_REDIS_URL,
      WEBHOOK_QUEUE_PREFIX: uniqueName(),
      PROGRESS_KEY_PREFIX: `${uniqueName()}:`,
      DAILY_REPORT_ENABLED: 'false',
    });
    host = `127.0.0.1:${app.port}`;
    const submitted = await http(app.baseUrl, '/jobs', { method: 'POST', headers: as('submitterA'), json: { type: 'sleep', maxAttempts: 1, payload: { failAttempts: 5 } } });
    deadJob = submitted.body.jobId;
    await waitForStatus(app.baseUrl, deadJob, ['DEAD'], 30_000, as('admin'));
  });

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  /** Each spelling as [method, request target]; `{host}` is the absolute-form authority. */
  const spellings = (path: string): Array<[string, string]> => {
    const [, first = '', ...rest] = path.split('/');
    const tail = rest.join('/');
    const encodedFirst = [...first].map((char, i) => (i === 0 ? `%${char.charCodeAt(0).toString(16)}` : char)).join('');
    return [
      ['canonical', path],
      ['percent-encoded letter', `/${encodedFirst}/${tail}`],
      ['percent-encoded letter, upper-case hex', `/${encodedFirst.toUpperCase()}/${tail}`],
      ['double percent-encoding', `/%25${first.charCodeAt(0).toString(16)}${first.slice(1)}/${tail}`],
      ['encoded slash', `/${first}%2F${tail.replaceAll('/', '%2F')}`],
      ['absolute-form request line', `http://{host}${path}`],
      ['absolute-form with another host', `http://example.invalid${path}`],
      ['double slash', `/${path}`],
      ['double slash inside', `/${first}//${tail}`],
      ['dot segment', `/.${path}`],
      ['dot-dot segment', `/jobs/..${path}`],
      ['encoded dot-dot segment', `/jobs/%2e%2e${path}`],
      ['upper case', path.toUpperCase()],
      ['mixed case', `/${first[0]?.toUpperCase()}${first.slice(1)}/${tail}`],
      ['matrix parameter on the first segment', `/${first};x=1/${tail}`],
      ['matrix parameter at the end', `${path};jsessionid=1`],
      ['trailing slash', `${path}/`],
      ['query string', `${path}?tenant=x&access_token=nothing`],
      ['fragment', `${path}#x`],
      ['backslash', `/${first}\\${tail}`],
      ['tab', `/${first}%09/${tail}`],
      ['null byte', `/${first}%00/${tail}`],
    ];
  };

  const ADMIN_ROUTES: Array<[string, string, string?]> = [
    ['GET', '/admin/dlq'],
    ['GET', `/admin/dlq/{dead}`],
    ['POST', `/admin/dlq/{dead}/replay`, '{}'],
    ['GET', '/admin/queues'],
    ['GET', '/admin/queues/api/queues'],
    ['PUT', '/admin/queues/api/queues/webhook-deliveries/pause'],
    ['PUT', '/admin/queues/api/queues/webhook-deliveries/clean/completed'],
  ];

  const send = (principal: Principal, method: string, target: string, body?: string) =>
    rawHttp(app.port, rawRequest(method, target.replace('{host}', host), as(principal), body ?? ''));

  it('an admin key reaches every route by its canonical path (the matrix below tests something real)', async () => {
    for (const [method, template, body] of ADMIN_ROUTES) {
      if (method === 'PUT') continue; // changes the queue; the spelling checks below only need it to exist
      const answer = await send('admin', method, template.replace('{dead}', deadJob), body);
      expect([method, template, answer.status]).toEqual([method, template, method === 'POST' ? 202 : 200]);
    }
  });

  it.each(['submitterA', 'submitterB', 'readerA', 'none'] as const)('%s reaches none of them, however spelled', async (principal) => {
    const reached: string[] = [];
    for (const [method, template, body] of ADMIN_ROUTES) {
      for (const [label, target] of spellings(template.replace('{dead}', deadJob))) {
        const answer = await send(principal, method, target, body);
        const refused = principal === 'none' ? [400, 401, 404, 405, 414] : [400, 403, 404, 405, 414];
        if (!refused.includes(answer.status)) reached.push(`${method} ${target} (${label}): ${answer.status} ${answer.body.slice(0, 120)}`);
        else if (!answer.headers['content-type']?.startsWith('application/problem+json')) reached.push(`${method} ${target} (${label}): ${answer.status} is not a problem`);
      }
    }
    expect(reached).toEqual([]);
    const replays = await http(app.baseUrl, `/admin/dlq/${deadJob}`, { headers: as('admin') });
    expect(replays.body.replays).toHaveLength(1); // only the admin's, above
  });

  it('wrote no API key to the log', () => {
    expect(leakedSecrets(app.logs(), Object.values(KEYS))).toEqual([]);
  });
});
