// The dashboard talks to the public HTTP API only (same origin), like any other client, with the
// API key the user gave (see key.js).
import { authHeaders, keyRefused } from './key.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function request(method, path, { body, headers = {} } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeaders(),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
  } catch (error) {
    setOnline(false);
    throw new ApiError(0, {
      title: 'The server cannot be reached',
      detail: String(error?.message ?? error),
    });
  }
  setOnline(true);
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (response.status === 401) keyRefused();
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** A file of a result, as a Blob (sent with the key, so it also works where <img src> could not authenticate). */
export async function fetchBlob(path) {
  const response = await fetch(path, { headers: authHeaders() });
  if (response.status === 401) keyRefused();
  if (!response.ok) throw new ApiError(response.status, null);
  return response.blob();
}

const onlineListeners = new Set();
export function onOnlineChange(listener) {
  onlineListeners.add(listener);
}
function setOnline(online) {
  for (const listener of onlineListeners) listener(online);
}

const query = (params) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const api = {
  /** A cheap authenticated call: 401 when the key is missing or wrong. */
  whoCanRead: () => request('GET', '/jobs?limit=1'),
  listJobs: ({ status, type, cursor, limit = 50 } = {}) =>
    request('GET', `/jobs${query({ status, type, cursor, limit })}`),
  status: (id) => request('GET', `/jobs/${encodeURIComponent(id)}/status`),
  history: (id) => request('GET', `/jobs/${encodeURIComponent(id)}/history`),
  result: (id) => request('GET', `/jobs/${encodeURIComponent(id)}/result`),
  submit: (job) => request('POST', '/jobs', { body: job }),
  cancel: (id) => request('POST', `/jobs/${encodeURIComponent(id)}/cancel`),
  deadJobs: ({ cursor, type, errorText, from, to } = {}) =>
    request('GET', `/admin/dlq${query({ cursor, limit: 50, type, errorText, from, to })}`),
  /** POST /admin/dlq/replay: `dryRun` answers the count and the first page; a real run answers the bulk job. */
  bulkReplay: (filter, { dryRun = false, ratePerSecond } = {}) =>
    request('POST', '/admin/dlq/replay', {
      body: { filter, dryRun, ...(dryRun ? {} : { ratePerSecond }) },
    }),
  audit: ({ action, actor, cursor } = {}) =>
    request('GET', `/admin/audit${query({ action, actor, cursor, limit: 50 })}`),
  replay: (id, idempotencyKey) =>
    request('POST', `/admin/dlq/${encodeURIComponent(id)}/replay`, {
      body: {},
      headers: { 'idempotency-key': idempotencyKey },
    }),
  schedules: ({ cursor } = {}) => request('GET', `/schedules${query({ cursor })}`),
  scheduleAction: (id, action) => request('POST', `/schedules/${encodeURIComponent(id)}/${action}`),
};
