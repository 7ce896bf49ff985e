import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { jobView, submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

/** The value of a counter on a node's /metrics (0 when it has not been counted yet). */
async function counter(app: AppProcess, name: string): Promise<number> {
  const text = (await http<string>(app.baseUrl, '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/**
 * Only the attempt holding the lease writes. A worker frozen past its lease (SIGSTOP: a GC pause, a
 * blocked event loop, a paused VM) wakes up and finishes its handler: its completion must be refused
 * and nothing it produced may replace the result of the attempt that took over.
 */
describe('fenced completion', () => {
  let schema: TestSchema;
  const apps: AppProcess[] = [];
  const env = () => ({ ...schema.env, JOB_LEASE_MS: '1500', RETRY_BASE_DELAY_MS: '100', WORKER_CONCURRENCY: '1', RESULT_STORE: 'database' });

  beforeAll(async () => {
    schema = await createTestSchema('fence');
  });

  afterAll(async () => {
    for (const app of apps) {
      app.signal('SIGCONT');
      await app.kill();
    }
    await schema.drop();
  });

  const completions = (jobId: string) =>
    schema.query<{ attempt: number }>(`SELECT attempt FROM job_transitions WHERE job_id = $1 AND to_status = 'COMPLETED'`, [jobId]);

  it('a worker frozen past its lease writes nothing when it wakes; the attempt that took over keeps its result', async () => {
    const frozen = await startApp(env());
    apps.push(frozen);
    // ignoreAbort: the handler sleeps through the lost lease, like CPU-bound code, and really tries to complete.
    const jobId = await submitted(frozen.baseUrl, { type: 'sleep', payload: { ms: 2500, steps: 5, ignoreAbort: true } });
    await waitFor(async () => (await jobView(frozen.baseUrl, jobId)).progress.percent > 0, { what: 'the first attempt to be under way' });

    frozen.signal('SIGSTOP');
    const rescuer = await startApp(env());
    apps.push(rescuer);
    await waitForStatus(rescuer.baseUrl, jobId, ['COMPLETED'], 30_000);
    expect(await completions(jobId)).toEqual([{ attempt: 2 }]);

    frozen.signal('SIGCONT');
    await waitFor(async () => (await counter(frozen, 'longhaul_stale_attempts_total')) >= 1, {
      timeoutMs: 15_000,
      what: 'the stale attempt to try to complete and be refused',
    });
    expect(frozen.logs()).toContain('stale attempt finished; its completion was refused');

    // Still one completion, by attempt 2, with attempt 2's result: the stale attempt changed nothing.
    expect(await completions(jobId)).toEqual([{ attempt: 2 }]);
    expect(await schema.query(`SELECT attempt FROM job_results WHERE job_id = $1`, [jobId])).toEqual([{ attempt: 2 }]);
    expect((await http(rescuer.baseUrl, `/jobs/${jobId}/result`)).body).toMatchObject({ jobId, attempt: 2 });
    expect(await jobView(rescuer.baseUrl, jobId)).toMatchObject({ status: 'COMPLETED', attempts: 2, interruptions: 1 });
    const history = await schema.query<{ to_status: string; reason: string | null }>(
      `SELECT to_status, reason FROM job_transitions WHERE job_id = $1 ORDER BY id`,
      [jobId],
    );
    expect(history.map((row) => row.to_status)).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
    expect(history[2].reason).toBe('lease expired');
  });

  it('a handler that finishes after its job was cancelled is refused too', async () => {
    const app = apps[1];
    const staleOnEither = async () => (await Promise.all(apps.map((node) => counter(node, 'longhaul_stale_attempts_total')))).reduce((a, b) => a + b, 0);
    const before = await staleOnEither();
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 1500, steps: 3, ignoreAbort: true } });
    await waitForStatus(app.baseUrl, jobId, ['RUNNING']);
    expect((await http(app.baseUrl, `/jobs/${jobId}/cancel`, { method: 'POST' })).status).toBe(200);

    await waitFor(async () => (await staleOnEither()) > before, { what: 'the late completion to be refused' });
    expect((await jobView(app.baseUrl, jobId)).status).toBe('CANCELLED');
    expect(await completions(jobId)).toEqual([]);
    expect(await schema.query(`SELECT 1 FROM job_results WHERE job_id = $1`, [jobId])).toEqual([]);
  });
});
