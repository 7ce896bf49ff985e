import { waitFor } from './wait-for.js';

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch without following redirects, parsing JSON bodies. */
export async function http<T = any>(baseUrl: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<HttpAnswer<T>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(baseUrl + path, {
    ...rest,
    headers,
    redirect: 'manual',
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') && text ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body: body as T, text };
}

export async function waitForStatus(baseUrl: string, jobId: string, statuses: string[], timeoutMs = 30_000, headers: Record<string, string> = {}): Promise<any> {
  return waitFor(
    async () => {
      const answer = await http(baseUrl, `/jobs/${jobId}/status`, { headers });
      return statuses.includes(answer.body.status) ? answer.body : false;
    },
    { timeoutMs, what: `job ${jobId} to reach ${statuses.join('|')}` },
  );
}
