export interface Answer {
  /** 0 when the request failed or timed out without an answer. */
  status: number;
  ms: number;
  jobId?: string;
  retryAfter: string | null;
  error?: string;
}

/** One POST /jobs with a time limit; never throws. */
export async function submitJob(baseUrl: string, body: unknown, timeoutMs = 15_000): Promise<Answer> {
  const started = Date.now();
  try {
    const response = await fetch(`${baseUrl}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const jobId = response.status === 202 ? (JSON.parse(text) as { jobId: string }).jobId : undefined;
    return { status: response.status, ms: Date.now() - started, jobId, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { status: 0, ms: Date.now() - started, retryAfter: null, error: String(error) };
  }
}

export interface Submitted {
  answers: Answer[];
  /** Job ids of the 202 answers, in submission order. */
  accepted: string[];
  /** Answers per status code. */
  byStatus: Record<string, number>;
}

export function tally(answers: readonly Answer[]): Submitted {
  const byStatus: Record<string, number> = {};
  for (const answer of answers) byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
  return { answers: [...answers], accepted: answers.flatMap((a) => (a.jobId ? [a.jobId] : [])), byStatus };
}

/** Submits every body, `concurrency` requests at a time. */
export async function submitAll(baseUrl: string, bodies: readonly unknown[], concurrency = 16): Promise<Submitted> {
  const answers: Answer[] = new Array<Answer>(bodies.length);
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const index = next++;
      answers[index] = await submitJob(baseUrl, bodies[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, lane));
  return tally(answers);
}

/** A `sleep` job whose default result names the job and the attempt that produced it. */
export function sleepJob(ms: number, extra: Record<string, unknown> = {}, payload: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'sleep', payload: { ms, steps: 2, ...payload }, ...extra };
}

