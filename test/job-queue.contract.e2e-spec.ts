import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, transitionsOf, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { KafkaProbe, distributedEnv, kafkaNames, keepLogs } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

/** What the contract needs to know about one JobQueue adapter. */
interface AdapterUnderTest {
  name: string;
  env(schema: TestSchema): Record<string, string>;
  /** Whether QUEUED jobs start by priority (the jobs-table claim orders by it; a Kafka partition is FIFO). */
  startsByPriority: boolean;
  /** Resolves once every dispatch made so far has been handled by a consumer. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

function localAdapter(): AdapterUnderTest {
  return {
    name: 'local (jobs table + NOTIFY)',
    env: (schema) => ({ ...schema.env }),
    startsByPriority: true,
    drained: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

function kafkaAdapter(): AdapterUnderTest {
  const names = kafkaNames();
  const probe = new KafkaProbe(names.brokers);
  return {
    name: 'kafka (distributed profile)',
    env: (schema) => distributedEnv(names, schema),
    startsByPriority: false,
    drained: () => probe.waitForNoLag(names.groupId, names.topic),
    close: () => probe.close(),
  };
}

describe.each([localAdapter(), kafkaAdapter()])('JobQueue contract: $name', (adapter) => {
  let schema: TestSchema;
  let app: AppProcess;
  let env: Record<string, string>;

  const submit = async (
    body: Record<string, unknown>,
  ): Promise<{ jobId: string; status: string }> => {
    const answer = await http<{ jobId: string; status: string }>(app.baseUrl, '/jobs', {
      method: 'POST',
      json: { type: 'sleep', ...body },
    });
    expect(answer.status).toBe(202);
    return answer.body;
  };
  const status = async (jobId: string): Promise<string> =>
    (await http<{ status: string }>(app.baseUrl, `/jobs/${jobId}/status`)).body.status;
  const firstRunning = async (jobIds: string[]) =>
    schema.query<{ job_id: string }>(
      `SELECT job_id FROM job_transitions WHERE job_id = ANY($1) AND to_status = 'RUNNING' GROUP BY job_id ORDER BY min(id)`,
      [jobIds],
    );
  /** Fills both worker slots with sleeping jobs, so whatever is submitted next waits QUEUED. */
  const occupyWorkers = async (ms: number[]): Promise<string[]> => {
    const ids = await Promise.all(
      ms.map(async (sleep) => (await submit({ payload: { ms: sleep } })).jobId),
    );
    await Promise.all(ids.map((id) => waitForStatus(app.baseUrl, id, ['RUNNING'])));
    return ids;
  };

  beforeAll(async () => {
    schema = await createTestSchema('queue_contract');
    env = {
      ...adapter.env(schema),
      WORKER_CONCURRENCY: '2',
      RETRY_BASE_DELAY_MS: '200',
      SHUTDOWN_GRACE_MS: '200',
    };
    app = await startApp(env);
  }, 90_000);

  afterAll(async () => {
    keepLogs(`job-queue-contract-${schema?.name}`, { app });
    await adapter.close();
    await app?.stop();
    await schema?.drop();
  }, 60_000);

  it('runs every one of N concurrently submitted jobs exactly once', async () => {
    const submitted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submit({ payload: { ms: 10, result: { i } } })),
    );
    const ids = submitted.map((job) => job.jobId);
    expect(new Set(ids).size).toBe(20);
    await Promise.all(ids.map((id) => waitForStatus(app.baseUrl, id, ['COMPLETED'])));
    await adapter.drained();
    for (const id of ids)
      expect(await transitionsOf(schema, id)).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    const results = await Promise.all(
      ids.map(async (id) => (await http<{ i: number }>(app.baseUrl, `/jobs/${id}/result`)).body.i),
    );
    expect(results).toEqual(ids.map((_, i) => i));
  });

  it('runs queued jobs of every priority (and by priority where the adapter orders)', async () => {
    const blockers = await occupyWorkers([1000, 1600]);
    const low = (await submit({ priority: 0, payload: { result: 'low' } })).jobId;
    const high = (await submit({ priority: 10, payload: { result: 'high' } })).jobId;
    expect([await status(low), await status(high)]).toEqual(['QUEUED', 'QUEUED']);
    await Promise.all(
      [...blockers, low, high].map((id) => waitForStatus(app.baseUrl, id, ['COMPLETED'])),
    );
    if (adapter.startsByPriority) {
      expect((await firstRunning([low, high])).map((row) => row.job_id)).toEqual([high, low]);
    }
  });

  it('does not start a delayed job before its time', async () => {
    const before = Date.now();
    const { jobId, status: initial } = await submit({
      delaySeconds: 1,
      payload: { result: 'late' },
    });
    expect(initial).toBe('PENDING');
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    const job = (await http<{ runAt: string }>(app.baseUrl, `/jobs/${jobId}`)).body;
    // Same host, same clock: the app computed runAt after `before`.
    expect(new Date(job.runAt).getTime()).toBeGreaterThanOrEqual(before + 1000);
    const history = await http<Array<{ to: string; at: string }>>(
      app.baseUrl,
      `/jobs/${jobId}/history`,
    );
    const started = history.body.find((t) => t.to === 'RUNNING');
    expect(new Date(started?.at ?? 0).getTime()).toBeGreaterThanOrEqual(
      new Date(job.runAt).getTime(),
    );
    expect(await transitionsOf(schema, jobId)).toEqual([
      'PENDING',
      'QUEUED',
      'RUNNING',
      'COMPLETED',
    ]);
  });

  it('re-dispatches a failed attempt after its backoff, and the job completes', async () => {
    const { jobId } = await submit({
      maxAttempts: 3,
      payload: { failAttempts: 1, result: 'second time' },
    });
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    expect(await transitionsOf(schema, jobId)).toEqual([
      'QUEUED',
      'RUNNING',
      'FAILED',
      'QUEUED',
      'RUNNING',
      'COMPLETED',
    ]);
    expect((await http(app.baseUrl, `/jobs/${jobId}/result`)).body).toBe('second time');
  });

  it('never runs a queued job that was cancelled', async () => {
    const blockers = await occupyWorkers([1000, 1000]);
    const { jobId } = await submit({ payload: { result: 'must not run' } });
    const cancelled = await http(app.baseUrl, `/jobs/${jobId}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    // A job submitted after it completes only once the dispatcher has gone past the cancelled one.
    const after = (await submit({ payload: {} })).jobId;
    await Promise.all(
      [...blockers, after].map((id) => waitForStatus(app.baseUrl, id, ['COMPLETED'])),
    );
    await adapter.drained();
    expect(await status(jobId)).toBe('CANCELLED');
    expect(await transitionsOf(schema, jobId)).toEqual(['QUEUED', 'CANCELLED']);
  });

  it('keeps an interrupted and a delayed job across an app restart', async () => {
    const running = (await submit({ payload: { ms: 3000, steps: 30, result: 'resumed' } })).jobId;
    await waitForStatus(app.baseUrl, running, ['RUNNING']);
    const delayed = (await submit({ delaySeconds: 2, payload: { result: 'delayed' } })).jobId;
    expect(await app.stop()).toBe(0);

    const [interrupted] = await schema.query<{ status: string }>(
      `SELECT status FROM jobs WHERE id = $1`,
      [running],
    );
    expect(interrupted.status).toBe('FAILED');
    app = await startApp(env);
    for (const [id, result] of [
      [running, 'resumed'],
      [delayed, 'delayed'],
    ]) {
      await waitForStatus(app.baseUrl, id, ['COMPLETED']);
      expect((await http(app.baseUrl, `/jobs/${id}/result`)).body).toBe(result);
    }
    const moves = await transitionsOf(schema, running);
    expect(moves).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
    await waitFor(async () => (await transitionsOf(schema, delayed)).length === 4, {
      what: 'the delayed job history',
    });
    expect(await transitionsOf(schema, delayed)).toEqual([
      'PENDING',
      'QUEUED',
      'RUNNING',
      'COMPLETED',
    ]);
  }, 90_000);
});
