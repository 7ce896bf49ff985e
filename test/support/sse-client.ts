import { request, type IncomingHttpHeaders } from 'node:http';
import { checkAnswer, isWatched, noteAnswer, noteSseEvent } from './contract/contract-hook.js';
import { waitFor } from './wait-for.js';

/** The JSON of a `data:` line: the union of the snapshot, progress and status event fields. */
export interface SseData {
  jobId: string;
  type?: string;
  status?: string;
  progress?: { percent: number; message: string | null; updatedAt: string };
  attempt?: number;
  percent?: number;
  message?: string | null;
  transitionId?: string;
  from?: string | null;
  to?: string;
  resultUrl?: string | null;
  [field: string]: unknown;
}

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: SseData;
}

/**
 * A small Server-Sent Events client over node:http for tests: parses events, comments and `retry:`,
 * sends Last-Event-ID, and tells when the server ended the stream.
 */
export class SseStream {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly retries: number[] = [];
  raw = '';
  ended = false;
  private watched = false;
  private buffer = '';
  private destroy: () => void = () => undefined;

  private constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
  ) {}

  static open(url: string, options: { lastEventId?: string } = {}): Promise<SseStream> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
      const req = request(url, { headers, agent: false }, (res) => {
        const stream = new SseStream(res.statusCode ?? 0, res.headers);
        const answer = { method: 'GET', url: new URL(url), status: stream.status, headers: toHeaders(res.headers) };
        stream.watched = isWatched(answer.url);
        const streaming = (res.headers['content-type'] ?? '').startsWith('text/event-stream');
        stream.destroy = () => res.destroy();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => stream.feed(chunk));
        res.on('end', () => {
          stream.ended = true;
          if (stream.watched && !streaming) noteAnswer({ ...answer, body: stream.raw });
        });
        res.on('close', () => (stream.ended = true));
        try {
          if (stream.watched && streaming) checkAnswer({ ...answer, body: undefined });
        } catch (error) {
          res.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve(stream);
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.destroy();
  }

  /** Waits until `count` events satisfy the predicate (or any event does, for count 1); returns them. */
  async waitForEvents(
    predicate: (event: SseEvent) => boolean,
    count = 1,
    timeoutMs = 15_000,
  ): Promise<SseEvent[]> {
    return waitFor(
      () => {
        const matching = this.events.filter(predicate);
        return matching.length >= count ? matching : false;
      },
      {
        timeoutMs,
        what: () =>
          `${count} matching SSE event(s); got ${JSON.stringify(this.events.map((e) => [e.event, e.id]))}`,
      },
    );
  }

  async waitForEnd(timeoutMs = 15_000): Promise<void> {
    await waitFor(() => this.ended, {
      timeoutMs,
      what: () =>
        `the server to end the stream; events so far ${JSON.stringify(this.events.map((e) => [e.event, e.id]))}`,
    });
  }

  private feed(chunk: string): void {
    this.raw += chunk;
    this.buffer += chunk;
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      this.parseBlock(block);
    }
  }

  private parseBlock(block: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      else if (line.startsWith('retry:')) this.retries.push(Number(line.slice(6).trim()));
    }
    if (data.length === 0) return;
    const parsed = JSON.parse(data.join('\n')) as SseData;
    if (this.watched) noteSseEvent(event, parsed);
    this.events.push({ id, event, data: parsed });
  }
}

/** Event ids are `<transitionId>-<progressVersion>`; compares them as that pair. */
export function compareEventIds(a: string, b: string): number {
  const [at, ap] = a.split('-').map(Number);
  const [bt, bp] = b.split('-').map(Number);
  return at !== bt ? at - bt : ap - bp;
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}
