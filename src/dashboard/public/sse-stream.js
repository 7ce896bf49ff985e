import { authHeaders, keyRefused } from './key.js';

// Server-Sent Events over fetch, so the stream carries the API key as a header (EventSource cannot
// send headers, and a key in the URL would end up in logs). Same surface as EventSource for what
// live.js uses: open/error and named events, readyState, Last-Event-ID on reconnect, the retry hint.

export class SseStream {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;

  constructor(url) {
    this.url = url;
    this.readyState = SseStream.CONNECTING;
    this.listeners = new Map();
    this.lastEventId = '';
    this.retryMs = 2000;
    this.abort = null;
    this.timer = null;
    void this.connect();
  }

  addEventListener(name, listener) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(listener);
  }

  close() {
    this.readyState = SseStream.CLOSED;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  emit(name, event) {
    for (const listener of this.listeners.get(name) ?? []) listener(event);
  }

  async connect() {
    this.abort = new AbortController();
    const headers = { accept: 'text/event-stream', ...authHeaders() };
    if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
    let response;
    try {
      response = await fetch(this.url, { headers, signal: this.abort.signal, cache: 'no-store' });
    } catch {
      return this.reconnect();
    }
    if (response.status === 401) keyRefused();
    if (!response.ok || response.status === 204 || !response.body) return this.fail();
    this.readyState = SseStream.OPEN;
    this.emit('open', {});
    try {
      await this.read(response.body);
    } catch {
      // the connection dropped: reconnect below
    }
    this.reconnect();
  }

  reconnect() {
    if (this.readyState === SseStream.CLOSED) return;
    this.readyState = SseStream.CONNECTING;
    this.emit('error', {});
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
  }

  fail() {
    if (this.readyState === SseStream.CLOSED) return;
    this.readyState = SseStream.CLOSED;
    this.emit('error', {});
  }

  async read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  dispatch(block) {
    let name = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') this.lastEventId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    if (data.length > 0) this.emit(name, { data: data.join('\n'), lastEventId: this.lastEventId });
  }
}
