import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, transitionsOf, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { distributedEnv, kafkaNames } from './support/kafka.js';
import { submit, submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';
import { Receiver, uniquePath } from './webhooks.support.js';

interface LimitedJobView {
  status: string;
  attempts: number;
  createdAt: string;
  runAt: string;
  startedAt: string | null;
  error: { code?: string; message: string; attempt: number } | null;
  timeoutSeconds: number | null;
  startDeadline: string | null;
}

interface AttemptSpan {
  attempt: number;
  ran_ms: number;
}

const PROFILES: Array<{ name: string; env: (schema: TestSchema) => Record<string, string> }> = [
  { name: 'embedded (PostgreSQL queue)', env: () => ({}) },
  { name: 'distributed (Kafka)', env: (schema) => distributedEnv(kafkaNames(), schema) },
];

/**
 * Time limits on both queue profiles: a run timeout fails the attempt (and counts), whatever the handler
 * does with its abort signal; a job not started by its start deadline becomes EXPIRED and announces
 * job.expired — measured against the database's clock, never a node's.
 */
describe.each(PROFILES)('time limits — $name', ({ env }) => {
  let schema: TestSchema;
  let app: AppProcess;
  let receiver: Receiver;

  beforeAll(async () => {
    schema = await createTestSchema('limits');
    receiver = await Receiver.start('127.0.0.1');
    app = await startApp({
      ...schema.env,
      ...env(schema),
      WORKER_CONCURRENCY: '1',
      RETRY_BASE_DELAY_MS: '200',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      // The type's own run timeout, for jobs that ask for none.
      JOB_TYPE_LIMITS: JSON.stringify({ sleep: { timeoutSeconds: 2 } }),
    });
  });

  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await schema?.drop();
  });

  const view = async (jobId: string) => (await http<LimitedJobView>(app.baseUrl, `/jobs/${jobId}`)).body;
  const attemptSpans = (jobId: string) =>
    schema.query<AttemptSpan>(
      `SELECT r.attempt, (extract(epoch FROM e.at - r.at) * 1000)::int AS ran_ms
         FROM job_transitions r
         JOIN job_transitions e ON e.job_id = r.job_id AND e.attempt = r.attempt AND e.from_status = 'RUNNING'
        WHERE r.job_id = $1 AND r.to_status = 'RUNNING' ORDER BY r.attempt`,
      [jobId],
    );

  it('fails each attempt at its run timeout with code TIMEOUT, counts it, and retries until DEAD', async () => {
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 30_000, steps: 30 }, timeoutSeconds: 1, maxAttempts: 2 });
    expect((await view(jobId)).timeoutSeconds).toBe(1);
    await waitForStatus(app.baseUrl, jobId, ['DEAD'], 20_000);

    const dead = await view(jobId);
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 2, error: { code: 'TIMEOUT', attempt: 2 } });
    expect(dead.error?.message).toContain('run timeout of 1000 ms');
    expect(await transitionsOf(schema, jobId)).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'DEAD']);
    // Each attempt ended at its timeout, nowhere near the 30 s the handler wanted.
    const spans = await attemptSpans(jobId);
    expect(spans.map((span) => span.attempt)).toEqual([1, 2]);
    for (const span of spans) {
      expect(span.ran_ms).toBeGreaterThanOrEqual(900);
      expect(span.ran_ms).toBeLessThan(4000);
    }
  });

  it('takes the job type’s run timeout when the job asks for none', async () => {
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 30_000, steps: 30 }, maxAttempts: 1 });
    expect((await view(jobId)).timeoutSeconds).toBe(2);
    await waitForStatus(app.baseUrl, jobId, ['DEAD'], 20_000);
    expect(await view(jobId)).toMatchObject({ status: 'DEAD', attempts: 1, error: { code: 'TIMEOUT' } });
    const [span] = await attemptSpans(jobId);
    expect(span.ran_ms).toBeGreaterThanOrEqual(1900);
    expect(span.ran_ms).toBeLessThan(5000);
  });

  it('frees the slot at the timeout even when the handler ignores its abort signal', async () => {
    // One slot: the second job can only run once the first attempt has given the slot back.
    const stubborn = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 30_000, ignoreAbort: true }, timeoutSeconds: 1, maxAttempts: 1 });
    await waitForStatus(app.baseUrl, stubborn, ['RUNNING'], 20_000);
    const next = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 10 } });
    await waitForStatus(app.baseUrl, next, ['COMPLETED'], 15_000);
    expect(await view(stubborn)).toMatchObject({ status: 'DEAD', error: { code: 'TIMEOUT' } });
  });

  it('expires a job not started by its start deadline: EXPIRED, job.expired, never run afterwards', async () => {
    const path = uniquePath('expired');
    // Keeps the only slot busy for 6 s, well past the 1 s TTL below.
    const blocker = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 6000, steps: 6 }, timeoutSeconds: 60 });
    await waitForStatus(app.baseUrl, blocker, ['RUNNING'], 20_000);
    const waiting = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 10 }, queueTtlSeconds: 1, callbackUrl: receiver.url(path) });
    const patient = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 10 }, queueTtlSeconds: 120 });

    const queued = await view(waiting);
    expect(queued.startDeadline).not.toBeNull();
    const ttlMs = Date.parse(queued.startDeadline!) - Date.parse(queued.runAt);
    expect(ttlMs).toBeGreaterThanOrEqual(999);
    expect(ttlMs).toBeLessThan(1500);

    await waitForStatus(app.baseUrl, waiting, ['EXPIRED'], 5_000);
    expect((await view(blocker)).status).toBe('RUNNING'); // expired while it waited, not after
    const expired = await view(waiting);
    expect(expired).toMatchObject({ status: 'EXPIRED', attempts: 0, startedAt: null, error: { code: 'EXPIRED' } });
    expect(await transitionsOf(schema, waiting)).toEqual(['QUEUED', 'EXPIRED']);

    const hit = await waitFor(() => receiver.on(path).find((h) => h.json?.type === 'job.expired') ?? false, { what: 'the job.expired webhook' });
    expect(hit.json?.data).toMatchObject({ jobId: waiting, status: 'EXPIRED' });

    // The slot frees: the patient job runs, the expired one never does (its dispatch is refused).
    await waitForStatus(app.baseUrl, patient, ['COMPLETED'], 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await view(waiting)).toMatchObject({ status: 'EXPIRED', attempts: 0, startedAt: null });
  });

  it('counts a delayed job’s TTL from when it falls due, and refuses limits out of range', async () => {
    const delayed = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 10 }, delaySeconds: 30, queueTtlSeconds: 5 });
    const pending = await view(delayed);
    expect(pending.status).toBe('PENDING');
    expect(Date.parse(pending.startDeadline!) - Date.parse(pending.runAt)).toBe(5000);

    for (const body of [{ timeoutSeconds: 0 }, { queueTtlSeconds: 0 }, { timeoutSeconds: 604_801 }, { queueTtlSeconds: 1.5 }]) {
      const answer = await submit(app.baseUrl, { type: 'sleep', ...body });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
