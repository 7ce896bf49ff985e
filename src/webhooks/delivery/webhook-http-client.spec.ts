import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../config/app-config.js';
import type { HostResolver } from '../../common/outbound-url/host-resolver.js';
import { WebhookHttpClient } from './webhook-http-client.js';

interface Hit {
  host: string | undefined;
  path: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on a loopback address; records every request it gets. */
async function receiver(host: string, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hits.push({ host: req.headers.host, path: req.url, headers: req.headers, body });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { hits, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function config(allowedHosts: string[], timeoutMs = 2000): AppConfig {
  return { webhooks: { allowedHosts, timeoutMs } } as unknown as AppConfig;
}

function stubResolver(table: Record<string, string>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string) => {
    asked.push(hostname);
    const address = table[hostname];
    return address
      ? Promise.resolve([{ address, family: 4 }])
      : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  };
  return Object.assign(resolve, { asked });
}

describe('WebhookHttpClient', () => {
  let ok: Awaited<ReturnType<typeof receiver>>;
  let other: Awaited<ReturnType<typeof receiver>>;
  const clients: WebhookHttpClient[] = [];
  const client = (allowed: string[], resolver: HostResolver, timeoutMs?: number) => {
    const created = new WebhookHttpClient(config(allowed, timeoutMs), resolver);
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    ok = await receiver('127.0.0.1', (req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${other.port}/target` }).end();
      } else if (req.url === '/big') {
        res.writeHead(500).end('x'.repeat(200_000));
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200).end('late'), 1500);
      } else if (req.url === '/busy') {
        res.writeHead(429, { 'retry-after': '7' }).end('slow down');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
      }
    });
    other = await receiver('127.0.0.2', (_req, res) => res.writeHead(200).end('should never be reached'));
  });

  afterAll(async () => {
    await Promise.all(clients.map((created) => created.onApplicationShutdown()));
    await ok.close();
    await other.close();
  });

  it('posts the body with the given headers and reads the answer', async () => {
    const sent = await client(['127.0.0.1'], stubResolver({})).post(`http://127.0.0.1:${ok.port}/hook?a=1`, { 'webhook-id': 'msg_1' }, '{"x":1}');
    expect(sent).toMatchObject({ result: { kind: 'response', status: 200 }, statusCode: 200, error: null });
    expect(sent).not.toHaveProperty('responseExcerpt'); // the receiver's reply is never kept
    expect(sent.latencyMs).toBeGreaterThanOrEqual(0);
    const hit = ok.hits.at(-1);
    expect(hit).toMatchObject({ path: '/hook?a=1', body: '{"x":1}' });
    expect(hit?.headers['webhook-id']).toBe('msg_1');
    expect(hit?.headers['content-type']).toBe('application/json');
  });

  it('connects to the address the guarded lookup checked (the name exists only in the stub)', async () => {
    const resolver = stubResolver({ 'pinned.test': '127.0.0.1' });
    const sent = await client(['127.0.0.1'], resolver).post(`http://pinned.test:${ok.port}/pinned`, {}, '{}');
    expect(sent.statusCode).toBe(200);
    expect(resolver.asked).toEqual(['pinned.test']);
    expect(ok.hits.at(-1)).toMatchObject({ host: `pinned.test:${ok.port}`, path: '/pinned' });
  });

  it('refuses a name resolving to loopback at delivery, before any connection', async () => {
    const before = ok.hits.length;
    const sent = await client([], stubResolver({ 'sneaky.test': '127.0.0.1' })).post(`http://sneaky.test:${ok.port}/x`, {}, '{}');
    expect(sent.result).toEqual({ kind: 'refused', message: expect.stringContaining('sneaky.test resolves to 127.0.0.1 is a loopback address') });
    expect(sent.statusCode).toBeNull();
    expect(ok.hits.length).toBe(before);
  });

  it('refuses a literal loopback address that is not allow-listed, without connecting', async () => {
    const sent = await client(['127.0.0.1'], stubResolver({})).post(`http://127.0.0.2:${other.port}/x`, {}, '{}');
    expect(sent.result).toMatchObject({ kind: 'refused' });
    expect(other.hits).toHaveLength(0);
  });

  it('does not follow redirects', async () => {
    const sent = await client(['127.0.0.0/8'], stubResolver({})).post(`http://127.0.0.1:${ok.port}/redirect`, {}, '{}');
    expect(sent.result).toEqual({ kind: 'response', status: 302, retryAfter: null, location: `http://127.0.0.1:${other.port}/target` });
    expect(other.hits).toHaveLength(0);
  });

  it('passes Retry-After on', async () => {
    const sent = await client(['127.0.0.1'], stubResolver({})).post(`http://127.0.0.1:${ok.port}/busy`, {}, '{}');
    expect(sent.result).toEqual({ kind: 'response', status: 429, retryAfter: '7', location: null });
  });

  it('reads a large answer without keeping it', async () => {
    const sent = await client(['127.0.0.1'], stubResolver({})).post(`http://127.0.0.1:${ok.port}/big`, {}, '{}');
    expect(sent).toMatchObject({ statusCode: 500, error: null });
  });

  it('times out a slow receiver', async () => {
    const sent = await client(['127.0.0.1'], stubResolver({}), 300).post(`http://127.0.0.1:${ok.port}/slow`, {}, '{}');
    expect(sent.result).toEqual({ kind: 'timeout' });
    expect(sent.error).toBe('timed out');
    expect(sent.latencyMs).toBeLessThan(1400);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await receiver('127.0.0.1', () => undefined);
    await closed.close();
    const sent = await client(['127.0.0.1'], stubResolver({})).post(`http://127.0.0.1:${closed.port}/`, {}, '{}');
    expect(sent.result).toMatchObject({ kind: 'network-error' });
    expect(sent.error).toContain('ECONNREFUSED');
  });

  it('reports an unresolvable name as a network error (retried later)', async () => {
    const sent = await client([], stubResolver({})).post('http://missing.test/', {}, '{}');
    expect(sent.result).toMatchObject({ kind: 'network-error' });
    expect(sent.error).toContain('ENOTFOUND');
  });
});
