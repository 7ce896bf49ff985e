import fc from 'fast-check';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { API_KEYS, KEYS, as, leakedSecrets, type Principal } from './support/security.js';

const REQUESTS = 5000;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);

type Schema = Record<string, any>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  method: string;
  template: string;
  parameters: Parameter[];
  body?: Schema;
}
interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * URL fields only ever get loopback or refused addresses: no request of this suite (nor any webhook
 * the app then sends) may leave 127.0.0.0/8, and no host name is looked up in DNS.
 */
const URL_FIELDS = new Set(['url', 'callbackUrl']);
const SAFE_URLS = ['http://127.0.0.1:9/hook', 'http://127.0.0.2/x', 'http://10.0.0.1/', 'http://[::1]/', 'http://169.254.169.254/latest', 'ftp://127.0.0.1/', 'not a url', ''];

/** Text with what breaks naive servers: NUL, lone surrogates, separators, very long runs, JSON and SQL fragments. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\ud800', 'a\udfffb', '../../etc/passwd', "'; DROP TABLE jobs; --", '%', '%zz', '{}', '[]', 'null', '__proto__', ' ', '*', 'x'.repeat(3000)),
);

/** Percent-encodes UTF-8 bytes; a lone surrogate becomes the (invalid) bytes of its code unit, as a hostile client would send. */
function encode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    else if (/[A-Za-z0-9\-._~]/.test(char)) out += char;
    else out += [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  }
  return out;
}

function operationsOf(spec: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(item)) {
      operations.push({
        method: method.toUpperCase(),
        template,
        parameters: (operation.parameters ?? []) as Parameter[],
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

describe('spec-driven fuzzing of every operation', () => {
  let schema: TestSchema;
  let app: AppProcess;
  let spec: Schema;
  const ids: string[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('sec_fuzz');
    app = await startApp({
      ...schema.env,
      API_KEYS,
      API_RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WORKER_CONCURRENCY: '2',
      DAILY_REPORT_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    });
    spec = (await http(app.baseUrl, '/docs-json')).body;
    const post = async (path: string, json: unknown) => (await http(app.baseUrl, path, { method: 'POST', headers: as('submitterA'), json })).body;
    const job = await post('/jobs', { type: 'sleep', payload: { ms: 1 } });
    const dead = await post('/jobs', { type: 'sleep', maxAttempts: 1, payload: { failAttempts: 3 } });
    const hook = await post('/webhooks', { url: SAFE_URLS[0], events: ['job.complete'] });
    const schedule = await post('/schedules', { name: 'fuzz', cron: '0 0 1 1 *', job: { type: 'sleep' } });
    const delivery = await post(`/webhooks/${hook.id}/test`, {});
    await waitForStatus(app.baseUrl, dead.jobId, ['DEAD'], 30_000, as('submitterA'));
    ids.push(job.jobId, dead.jobId, hook.id, schedule.id, delivery.id);
  });

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  const resolve = (node: Schema | undefined): Schema => {
    if (!node) return {};
    if (node.$ref) return resolve(spec.components.schemas[String(node.$ref).split('/').pop()!]);
    if (node.allOf) return (node.allOf as Schema[]).map(resolve).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
    return node;
  };

  /** A value for a schema: mostly well-typed (so requests get past the first check), sometimes anything at all. */
  const valueOf = (node: Schema | undefined, name: string, depth: number): fc.Arbitrary<unknown> => {
    if (URL_FIELDS.has(name)) return fc.constantFrom<unknown>(...SAFE_URLS, null, 42);
    const s = resolve(node);
    let typed: fc.Arbitrary<unknown>;
    if (s.enum) typed = fc.constantFrom(...(s.enum as unknown[]));
    else if (s.type === 'string' && s.format === 'uuid') typed = fc.oneof(fc.constantFrom(...ids), fc.uuid());
    else if (s.type === 'string' && s.format === 'date-time') typed = fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString());
    else if (s.type === 'string') typed = nastyString;
    else if (s.type === 'integer') typed = fc.oneof(fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 1000, 1000) }), fc.integer(), fc.constant(2 ** 53));
    else if (s.type === 'number') typed = fc.double();
    else if (s.type === 'boolean') typed = fc.boolean();
    else if (s.type === 'array') typed = fc.array(valueOf(s.items, name, depth + 1), { maxLength: 4 });
    else if (s.properties && depth < 4) {
      const record = Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([key, child]) => [key, valueOf(child, key, depth + 1)]));
      typed = fc.tuple(fc.record(record, { requiredKeys: [] }), fc.dictionary(nastyString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })).map(([known, extra]) => ({ ...extra, ...known }));
    } else if (name === 'payload') typed = fc.record({ ms: fc.integer({ min: 0, max: 20 }), steps: fc.integer({ min: 0, max: 3 }), failAttempts: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: [] });
    else typed = fc.jsonValue({ maxDepth: 2 });
    return fc.oneof({ arbitrary: typed, weight: 6 }, { arbitrary: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 2 }), nastyString), weight: 1 });
  };

  const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
  const headerText = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split('')), maxLength: 60 });

  const requestOf = (operation: Operation): fc.Arbitrary<FuzzRequest> => {
    // An empty path segment reaches no operation at all, so a path parameter is never empty.
    const param = (p: Parameter) =>
      p.in === 'path' ? fc.oneof(fc.constantFrom(...ids), fc.uuid(), nastyString).map((value) => asText(value) || 'x') : valueOf(p.schema, p.name, 0).map(asText);
    const query = operation.parameters.filter((p) => p.in === 'query');
    const pathParams = operation.parameters.filter((p) => p.in === 'path');
    const headerParams = operation.parameters.filter((p) => p.in === 'header');
    return fc.record({
      principal: fc.constantFrom<Principal>('admin', 'submitterA', 'submitterB', 'readerA', 'none'),
      path: fc.tuple(...pathParams.map(param)),
      values: fc.tuple(...query.map((p) => fc.option(param(p), { nil: undefined }))),
      headers: fc.tuple(...headerParams.map(() => fc.option(headerText, { nil: undefined }))),
      body: operation.body ? fc.oneof({ arbitrary: valueOf(operation.body, '(body)', 0).map((value) => JSON.stringify(value) ?? 'null'), weight: 8 }, { arbitrary: nastyString, weight: 1 }) : fc.constant(undefined),
    }).map(({ principal, path, values, headers, body }) => {
      let url = operation.template;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, encode(path[i]))));
      const search = values.flatMap((value, i) => (value === undefined ? [] : [`${encode(query[i].name)}=${encode(value)}`]));
      const headerEntries = headerParams.flatMap((p, i) => (headers[i] === undefined ? [] : [[p.name, headers[i]] as const]));
      return {
        method: operation.method,
        path: search.length ? `${url}?${search.join('&')}` : url,
        headers: { ...as(principal), ...Object.fromEntries(headerEntries), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
      };
    });
  };

  it(`answers ${REQUESTS} generated requests without a 5xx, every error as problem+json, and stays healthy`, async () => {
    const operations = operationsOf(spec);
    expect(operations.length).toBeGreaterThan(25);
    const requests = fc.sample(fc.oneof(...operations.map(requestOf)), { numRuns: REQUESTS, seed: SEED });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        const label = `${request.method} ${request.path.slice(0, 200)} ${request.body?.slice(0, 200) ?? ''}`;
        try {
          const response = await fetch(app.baseUrl + request.path, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            redirect: 'manual',
            signal: AbortSignal.timeout(10_000),
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const type = response.headers.get('content-type') ?? '';
          if (type.startsWith('text/event-stream')) await response.body?.cancel();
          else await response.arrayBuffer();
          if (response.status >= 500) failures.push(`${response.status}: ${label}`);
          else if (response.status >= 400 && !type.startsWith('application/problem+json')) failures.push(`${response.status} not a problem (${type}): ${label}`);
        } catch (error) {
          failures.push(`${String(error)}: ${label}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures.slice(0, 20)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    expect([...statuses.keys()].some((status) => status < 300)).toBe(true); // not only refusals: the fuzz reached handlers
    expect((await http(app.baseUrl, '/health/ready')).status).toBe(200);
    expect((await http(app.baseUrl, '/jobs?limit=1', { headers: as('readerA') })).status).toBe(200);
  });

  it('wrote no API key to the log', () => {
    expect(leakedSecrets(app.logs(), Object.values(KEYS))).toEqual([]);
  });
});
