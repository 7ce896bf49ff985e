// Live updates over Server-Sent Events. Browsers allow only ~6 connections per host, so the jobs list
// follows all its unfinished jobs on ONE stream (GET /jobs/progress?ids=…); the job page follows one
// job (GET /jobs/{id}/progress), where the stream resumes with Last-Event-ID after a drop.
import { TERMINAL } from './dom.js';
import { SseStream } from './sse-stream.js';

const MAX_IDS = 100;
const indicators = new Set();

export function onLiveState(listener) {
  indicators.add(listener);
}
let openStreams = 0;
function report(delta) {
  openStreams = Math.max(0, openStreams + delta);
  for (const listener of indicators) listener(openStreams > 0 ? 'live' : 'idle');
}

function listen(source, handlers) {
  let counted = false;
  source.addEventListener('open', () => {
    if (!counted) report(+1);
    counted = true;
  });
  source.addEventListener('error', () => {
    if (counted && source.readyState === SseStream.CLOSED) report(-1);
    if (source.readyState === SseStream.CLOSED) counted = false;
    handlers.onError?.(source.readyState);
  });
  for (const name of ['snapshot', 'progress', 'status']) {
    source.addEventListener(name, (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      handlers[`on${name[0].toUpperCase()}${name.slice(1)}`]?.(data, event.lastEventId);
    });
  }
  return () => {
    if (counted) report(-1);
    counted = false;
    source.close();
  };
}

/** Follows one job until it is finished. Returns a stop function. */
export function followJob(jobId, handlers) {
  const source = new SseStream(`/jobs/${encodeURIComponent(jobId)}/progress`);
  let stop = () => {};
  const finishOn = (data) => {
    if (TERMINAL.has(data.status ?? data.to)) stop();
  };
  stop = listen(source, {
    ...handlers,
    onSnapshot: (data, id) => {
      handlers.onSnapshot?.(data, id);
      finishOn(data);
    },
    onStatus: (data, id) => {
      handlers.onStatus?.(data, id);
      finishOn(data);
    },
  });
  return () => stop();
}

/** Follows a changing set of jobs on one stream; `set(ids)` re-opens it only when the set changes. */
export class JobsFollower {
  constructor(handlers) {
    this.handlers = handlers;
    this.key = '';
    this.stop = null;
    this.finished = new Set();
  }

  set(ids) {
    const wanted = [...new Set(ids)]
      .filter((id) => !this.finished.has(id))
      .slice(0, MAX_IDS)
      .sort();
    const key = wanted.join(',');
    if (key === this.key) return;
    this.close();
    this.key = key;
    if (wanted.length === 0) return;
    const source = new SseStream(`/jobs/progress?ids=${wanted.join(',')}`);
    const terminal = (data) => {
      const status = data.status ?? data.to;
      if (TERMINAL.has(status)) this.finished.add(data.jobId);
      if (wanted.every((id) => this.finished.has(id))) this.close();
    };
    this.stop = listen(source, {
      onSnapshot: (data) => {
        this.handlers.onSnapshot?.(data);
        terminal(data);
      },
      onProgress: (data) => this.handlers.onProgress?.(data),
      onStatus: (data) => {
        this.handlers.onStatus?.(data);
        terminal(data);
      },
    });
  }

  close() {
    this.stop?.();
    this.stop = null;
    this.key = '';
  }
}
