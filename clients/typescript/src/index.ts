import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.js';
import { followJob, type FollowOptions, type JobStreamEvent } from './sse.js';
import { submitAndWait, waitForJob, type FinishedJob, type WaitOptions } from './wait.js';

export type { components, paths, webhooks } from './schema.js';
export type { FollowOptions, JobStreamEvent } from './sse.js';
export type { FinishedJob, WaitOptions } from './wait.js';
export { LonghaulProblem } from './problem.js';

/** The schemas of the contract by name: `Schemas['Job']`, `Schemas['JobSubmission']`, … */
export type Schemas = components['schemas'];

export interface LonghaulClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** e.g. https://jobs.example.com (no trailing slash). */
  baseUrl: string;
}

export interface LonghaulClient extends Client<paths> {
  /** Submits a job (with `Prefer: wait`), waits for it to finish and fetches its result. */
  submitAndWait(submission: Schemas['JobSubmission'], options?: WaitOptions): Promise<FinishedJob>;
  /** Polls a job's status (honouring Retry-After) until it is COMPLETED, DEAD or CANCELLED. */
  waitForJob(jobId: string, options?: WaitOptions): Promise<Schemas['JobStatusView']>;
  /** A job's Server-Sent Events, typed; reconnects with Last-Event-ID until the job is finished. */
  followJob(jobId: string, options?: FollowOptions): AsyncGenerator<JobStreamEvent>;
}

/**
 * A client for the longhaul API: every operation of the contract as `client.GET('/jobs/{id}/status', …)`,
 * `client.POST('/jobs', …)` (openapi-fetch, types generated from the OpenAPI document), plus helpers.
 */
export function createLonghaulClient(options: LonghaulClientOptions): LonghaulClient {
  const client = createClient<paths>(options);
  const transport = { baseUrl: options.baseUrl.replace(/\/$/, ''), headers: options.headers, fetch: options.fetch };
  return Object.assign(client, {
    submitAndWait: (submission: Schemas['JobSubmission'], waitOptions?: WaitOptions) => submitAndWait(client, submission, waitOptions),
    waitForJob: (jobId: string, waitOptions?: WaitOptions) => waitForJob(client, jobId, waitOptions),
    followJob: (jobId: string, followOptions?: FollowOptions) => followJob(transport, jobId, followOptions),
  });
}
