import type { components } from './schema.js';

type Schemas = components['schemas'];

/** One event of a job's stream: the SSE event name picks the data's schema. */
export type JobStreamEvent =
  | { event: 'snapshot'; id: string | null; data: Schemas['SnapshotEventData'] }
  | { event: 'progress'; id: string | null; data: Schemas['ProgressEventData'] }
  | { event: 'status'; id: string | null; data: Schemas['StatusEventData'] };

export interface FollowOptions {
  /** Resume after this event id (a previous stream's last one). */
  lastEventId?: string;
  signal?: AbortSignal;
}

export interface Transport {
  baseUrl: string;
  headers?: unknown;
  fetch?: (input: Request) => Promise<Response>;
}

const FINISHED: readonly string[] = ['COMPLETED', 'DEAD', 'CANCELLED'];
const EVENTS: readonly string[] = ['snapshot', 'progress', 'status'];

/**
 * Follows GET /jobs/{id}/progress. The server ends a stream after the terminal status event, or at its
 * time limit; then this reconnects with Last-Event-ID (after the `retry:` pause it asked for) and goes on,
 * so the iteration ends exactly when the job is finished. A 204 on resume means it already was.
 */
export async function* followJob(transport: Transport, jobId: string, options: FollowOptions = {}): AsyncGenerator<JobStreamEvent> {
  let lastEventId = options.lastEventId;
  let retryMs = 1000;
  for (;;) {
    const headers = new Headers(transport.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('accept', 'text/event-stream');
    if (lastEventId !== undefined) headers.set('last-event-id', lastEventId);
    const request = new Request(`${transport.baseUrl}/jobs/${encodeURIComponent(jobId)}/progress`, { headers, signal: options.signal });
    const response = await (transport.fetch ?? fetch)(request);
    if (response.status === 204) return;
    if (!response.ok || !response.body) throw new Error(`GET /jobs/${jobId}/progress answered ${response.status}: ${await response.text()}`);
    for await (const frame of frames(response.body)) {
      if (frame.retry !== undefined) retryMs = frame.retry;
      if (frame.data === undefined || !EVENTS.includes(frame.event)) continue;
      if (frame.id !== null) lastEventId = frame.id;
      const event = { event: frame.event, id: frame.id, data: JSON.parse(frame.data) as unknown } as JobStreamEvent;
      yield event;
      if (event.event === 'status' && FINISHED.includes(event.data.to)) return;
      if (event.event === 'snapshot' && FINISHED.includes(event.data.status)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

interface Frame {
  event: string;
  id: string | null;
  data: string | undefined;
  retry: number | undefined;
}

/** The text/event-stream format (WHATWG HTML, server-sent events), one frame per blank-line-separated block. */
async function* frames(body: ReadableStream<Uint8Array>): AsyncGenerator<Frame> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      yield parse(block);
    }
  }
}

function parse(block: string): Frame {
  const frame: Frame = { event: 'message', id: null, data: undefined, retry: undefined };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') frame.event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') frame.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) frame.retry = Number(value);
  }
  if (data.length > 0) frame.data = data.join('\n');
  return frame;
}
