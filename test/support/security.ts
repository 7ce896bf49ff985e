import { connect } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { http } from './http.js';

/** API keys of the adversarial suites: an admin, two tenants' submitters and a reader of tenant A. */
export const KEYS = {
  admin: 'adm-secret-4f9c0a7e2b6d1',
  submitterA: 'sub-a-secret-8e1d2c3b4a5f6',
  submitterB: 'sub-b-secret-1a2b3c4d5e6f7',
  readerA: 'rdr-a-secret-9f8e7d6c5b4a3',
} as const;

export type Principal = keyof typeof KEYS | 'none';

export const TENANT_A = 'tenant-a';
export const TENANT_B = 'tenant-b';

export const API_KEYS = [
  `admin:ops:${KEYS.admin}`,
  `submitter:a-ci:${KEYS.submitterA}:${TENANT_A}`,
  `submitter:b-ci:${KEYS.submitterB}:${TENANT_B}`,
  `reader:a-grafana:${KEYS.readerA}:${TENANT_A}`,
].join(',');

export function as(principal: Principal): Record<string, string> {
  return principal === 'none' ? {} : { authorization: `Bearer ${KEYS[principal]}` };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as written (fetch would normalise the path) and reads the answer until the
 * server closes the connection. Loopback only.
 */
export function rawHttp(port: number, request: string, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${JSON.stringify(request.split('\r\n')[0])}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseAnswer(Buffer.concat(chunks).toString('utf8')));
    });
    socket.write(request);
  });
}

function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: end < 0 ? '' : text.slice(end + 4) };
}

/** A request line plus headers, closing the connection after the answer. */
export function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

export interface Received {
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
}

/** A webhook receiver on 127.0.0.1 that answers 204 and records what it got. */
export async function receiver(): Promise<{ server: Server; port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body, headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Every secret the suite knows must be absent from a text (logs, dumps, answers). */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length > 0 && text.includes(secret));
}

/** Requests as one of the KEYS: `call` answers whatever came back; `ok` insists on a 2xx and returns the body. */
export function keyedClient(baseUrl: () => string) {
  const call = (principal: Principal, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    http(baseUrl(), path, { method, headers: { ...as(principal), ...headers }, ...(body === undefined ? {} : { json: body }) });
  const ok = async (principal: Principal, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const answer = await call(principal, method, path, body, headers);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  return { call, ok };
}
