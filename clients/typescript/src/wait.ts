import type { Client } from 'openapi-fetch';
import { dataOrThrow, LonghaulProblem } from './problem.js';
import type { components, paths } from './schema.js';

type Schemas = components['schemas'];
type Finished = 'COMPLETED' | 'DEAD' | 'CANCELLED';

export interface WaitOptions {
  /** Seconds the server may hold the submission open (`Prefer: wait`; it caps this itself). Default 10. */
  waitSeconds?: number;
  /** Give up after this long (the job goes on). Default: no limit. */
  timeoutMs?: number;
  /** Poll at most this often, whatever Retry-After says (ms). Default: Retry-After. */
  pollIntervalMs?: number;
  /** Extra headers: an Idempotency-Key, say. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FinishedJob<Result = unknown> {
  jobId: string;
  status: Finished;
  /** Set when COMPLETED. */
  resultUrl: string | null;
  /** The result (parsed JSON, or text for other content types) when COMPLETED. */
  result?: Result;
  /** Why it is DEAD or CANCELLED. */
  error: Schemas['JobError'] | null;
}

const FINISHED: readonly string[] = ['COMPLETED', 'DEAD', 'CANCELLED'];
const DEFAULT_WAIT_SECONDS = 10;

export async function submitAndWait(client: Client<paths>, submission: Schemas['JobSubmission'], options: WaitOptions = {}): Promise<FinishedJob> {
  const started = Date.now();
  const submitted = dataOrThrow(
    await client.POST('/jobs', {
      body: submission,
      params: { header: { Prefer: `wait=${options.waitSeconds ?? DEFAULT_WAIT_SECONDS}` } },
      headers: options.headers,
      signal: options.signal,
    }),
  );
  const timeoutMs = options.timeoutMs === undefined ? undefined : options.timeoutMs - (Date.now() - started);
  const status = await waitForJob(client, submitted.jobId, { ...options, timeoutMs });
  const finished: FinishedJob = { jobId: submitted.jobId, status: status.status as Finished, resultUrl: status.resultUrl, error: status.error };
  if (status.status !== 'COMPLETED') return finished;
  const result = await client.GET('/jobs/{id}/result', { params: { path: { id: submitted.jobId } }, parseAs: 'text', headers: options.headers, signal: options.signal });
  if (!result.response.ok) throw new LonghaulProblem(result.response.status, result.error as Schemas['Problem']);
  const text = result.data as unknown as string;
  const json = (result.response.headers.get('content-type') ?? '').includes('json');
  return { ...finished, result: json ? (JSON.parse(text) as unknown) : text };
}

export async function waitForJob(client: Client<paths>, jobId: string, options: WaitOptions = {}): Promise<Schemas['JobStatusView']> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  for (;;) {
    const answer = await client.GET('/jobs/{id}/status', { params: { path: { id: jobId } }, headers: options.headers, signal: options.signal });
    const status = dataOrThrow(answer);
    if (FINISHED.includes(status.status)) return status;
    const retryAfterMs = Number(answer.response.headers.get('retry-after') ?? '1') * 1000;
    const pause = Math.min(options.pollIntervalMs ?? retryAfterMs, deadline - Date.now());
    if (pause < 0) throw new Error(`job ${jobId} did not finish within ${options.timeoutMs} ms (it is ${status.status})`);
    await delay(pause, options.signal);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });
}
