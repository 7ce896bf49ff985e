import type { ServerResponse } from 'node:http';
import { sseFrame } from './progress-events.js';

export interface SseOptions {
  heartbeatMs: number;
  maxDurationMs: number;
  retryMs: number;
  /** A client this far behind (bytes waiting for the socket) is cut off; it can reconnect and resume. */
  maxQueuedBytes?: number;
}

export type SseEndReason = 'finished' | 'expired' | 'shutdown' | 'client-gone' | 'too-slow';

interface Queued {
  key: string | undefined;
  frame: string;
}

const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-store, no-transform',
  'x-accel-buffering': 'no',
} as const;

/** One SSE answer written straight to the socket: ids, comments, heartbeat, time limit and backpressure. */
export class SseConnection {
  private closed = false;
  private blocked = false;
  private queue: Queued[] = [];
  private queuedBytes = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseOptions,
    private readonly onEnd: (reason: SseEndReason) => void,
  ) {
    res.writeHead(200, SSE_HEADERS);
    res.socket?.setNoDelay(true);
    res.socket?.setTimeout(0);
    res.on('close', () => this.finish('client-gone'));
    res.on('drain', () => this.drain());
    this.write(`retry: ${options.retryMs}\n\n`, undefined);
    this.heartbeat = setInterval(() => this.comment('heartbeat', 'heartbeat'), options.heartbeatMs);
    this.heartbeat.unref();
    this.deadline = setTimeout(() => this.end('expired'), options.maxDurationMs);
    this.deadline.unref();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends one event. `coalesceKey`: while the socket is backed up, a newer frame with the same key
   * replaces the older one still waiting (progress is latest-wins; status frames are never dropped).
   */
  event(name: string, id: string | null, data: string, coalesceKey?: string): void {
    this.write(sseFrame(name, id, data), coalesceKey);
  }

  /** A ready-made frame (see progressFrameOf). */
  frame(frame: string, coalesceKey?: string): void {
    this.write(frame, coalesceKey);
  }

  comment(text: string, coalesceKey?: string): void {
    this.write(`: ${text}\n\n`, coalesceKey);
  }

  /** Ends the stream cleanly. On a time limit or shutdown the client is told to reconnect (and resume). */
  end(reason: Exclude<SseEndReason, 'client-gone' | 'too-slow'>): void {
    if (this.closed) return;
    if (reason === 'expired' || reason === 'shutdown') {
      this.write(
        `retry: ${this.options.retryMs}\n: ${reason === 'expired' ? 'time limit reached' : 'server shutting down'}; reconnect with Last-Event-ID\n\n`,
        undefined,
      );
    }
    this.finish(reason);
    this.res.end();
  }

  private write(frame: string, key: string | undefined): void {
    if (this.closed) return;
    if (this.blocked) {
      if (key !== undefined) {
        const index = this.queue.findIndex((queued) => queued.key === key);
        if (index >= 0) {
          this.queuedBytes -= this.queue[index].frame.length;
          this.queue.splice(index, 1);
        }
      }
      this.queue.push({ key, frame });
      this.queuedBytes += frame.length;
      if (this.queuedBytes > (this.options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES)) {
        this.finish('too-slow');
        this.res.destroy();
      }
      return;
    }
    if (!this.res.write(frame)) this.blocked = true;
  }

  private drain(): void {
    this.blocked = false;
    const queued = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const { key, frame } of queued) this.write(frame, key);
  }

  private finish(reason: SseEndReason): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.deadline);
    this.queue = [];
    this.onEnd(reason);
  }
}
