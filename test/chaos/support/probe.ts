export interface Probe {
  request: string;
  /** 0: no answer (connection error or the client's time limit). */
  status: number;
  ms: number;
  retryAfter: string | null;
}

/** One request with a client-side time limit; records what came back and how long it took. Never throws. */
export async function probe(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown, limitMs = 10_000): Promise<Probe> {
  const started = Date.now();
  const request = `${method} ${path}`;
  try {
    const response = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(limitMs),
    });
    await response.arrayBuffer();
    return { request, status: response.status, ms: Date.now() - started, retryAfter: response.headers.get('retry-after') };
  } catch {
    return { request, status: 0, ms: Date.now() - started, retryAfter: null };
  }
}
