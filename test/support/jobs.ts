import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, type HttpAnswer } from './http.js';

export const PROBLEM = 'https://longhaul.dev/problems/';

/**
 * A fresh DATA_DIR the embedded server's OS user can reach (mode 0755), so the cluster lives
 * inside it and `removeDataDir` cleans everything up.
 */
export function scratchDataDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `longhaul-${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export function removeDataDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export async function submit(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return http(baseUrl, '/jobs', { method: 'POST', json: body, headers });
}

/** Submits and insists on 202; returns the job id. */
export async function submitted(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const answer = await submit(baseUrl, body, headers);
  if (answer.status !== 202) throw new Error(`expected 202, got ${answer.status}: ${answer.text}`);
  return (answer.body as { jobId: string }).jobId;
}

export interface Transition {
  from: string | null;
  to: string;
  attempt: number;
  reason: string | null;
  at: string;
}

export async function historyOf(baseUrl: string, jobId: string): Promise<Transition[]> {
  const answer = await http<Transition[]>(baseUrl, `/jobs/${jobId}/history`);
  if (answer.status !== 200) throw new Error(`history of ${jobId}: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** The fields of the public job view (JobDto) the tests look at. */
export interface JobView {
  jobId: string;
  type: string;
  status: string;
  progress: { percent: number; message: string | null };
  attempts: number;
  maxAttempts: number;
  interruptions: number;
  runAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: { message: string; code?: string; attempt: number } | null;
  resultUrl: string | null;
  resultExpiresAt: string | null;
}

export interface JobList {
  items: JobView[];
  nextCursor: string | null;
}

/** The full job view (GET /jobs/{id} carries it in the body of its 303 too). */
export async function jobView(baseUrl: string, jobId: string): Promise<JobView> {
  const answer = await http<JobView>(baseUrl, `/jobs/${jobId}`);
  if (answer.status !== 200 && answer.status !== 303) throw new Error(`job ${jobId}: ${answer.status} ${answer.text}`);
  return answer.body;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: Array<{ field: string; message: string }>;
  knownTypes?: string[];
  jobId?: string;
  jobStatus?: string;
  errorId?: string;
}

/** Asserts an RFC 9457 answer and returns its body. */
export function expectProblem(answer: HttpAnswer, status: number, slug: string): Problem {
  expect({ status: answer.status, contentType: answer.headers.get('content-type') }).toEqual({
    status,
    contentType: 'application/problem+json; charset=utf-8',
  });
  expect(answer.body).toMatchObject({ type: PROBLEM + slug, status, title: expect.any(String) });
  return answer.body as Problem;
}
