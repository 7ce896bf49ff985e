import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { jobView, submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

interface JobRow {
  status: string;
  attempts: number;
  interruptions: number;
  backoff_ms: number | null;
  last_error: { code: string; message: string } | null;
}

/**
 * "What happens if a worker crashes mid-job", answered with a number: an attempt cut off without an
 * outcome (shutdown, crash) is an interruption; it backs off like a failure, and after
 * JOB_MAX_INTERRUPTIONS the job is DEAD "interrupted too often" instead of looping forever.
 */
describe('interrupted attempts', () => {
  let schema: TestSchema;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    schema = await createTestSchema('interrupt');
  });

  afterAll(async () => {
    await app?.kill();
    await schema.drop();
  });

  const env = (extra: Record<string, string>) => ({
    ...schema.env,
    JOB_LEASE_MS: '1500',
    SHUTDOWN_GRACE_MS: '100',
    WORKER_CONCURRENCY: '1',
    ...extra,
  });

  const row = async (jobId: string): Promise<JobRow> =>
    (
      await schema.query<JobRow>(
        `SELECT status, attempts, interruptions, last_error,
                (extract(epoch FROM next_attempt_at - updated_at) * 1000)::int AS backoff_ms
         FROM jobs WHERE id = $1`,
        [jobId],
      )
    )[0];

  async function running(jobId: string, attempt: number): Promise<void> {
    await waitFor(
      async () => {
        const view = await jobView(app!.baseUrl, jobId);
        return view.status === 'RUNNING' && view.attempts === attempt && view.progress.percent > 0;
      },
      { what: `attempt ${attempt} of ${jobId} to be under way` },
    );
  }

  it('a shutdown release counts, backs off, and the second one (cap 2) buries the job', async () => {
    const settings = env({ JOB_MAX_INTERRUPTIONS: '2', RETRY_BASE_DELAY_MS: '1000' });
    app = await startApp(settings);
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 60_000, steps: 600 } });
    await running(jobId, 1);
    await app.stop();

    const first = await row(jobId);
    expect(first).toMatchObject({ status: 'FAILED', attempts: 1, interruptions: 1, last_error: { code: 'INTERRUPTED', message: 'interrupted by shutdown' } });
    // 1 s base, ±20 %: not retried at once, so a job that provokes shutdowns cannot spin.
    expect(first.backoff_ms).toBeGreaterThanOrEqual(800);
    expect(first.backoff_ms).toBeLessThanOrEqual(1200);

    app = await startApp(settings);
    await running(jobId, 2);
    await app.stop();

    expect(await row(jobId)).toMatchObject({
      status: 'DEAD',
      attempts: 2,
      interruptions: 2,
      last_error: { code: 'INTERRUPTED_TOO_OFTEN', message: 'interrupted too often: interrupted by shutdown' },
    });
  });

  it('a crash (SIGKILL, the lease runs out) counts too: with a cap of 1 the job is DEAD, not run again', async () => {
    const settings = env({ JOB_MAX_INTERRUPTIONS: '1' });
    app = await startApp(settings);
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 60_000, steps: 600 } });
    await running(jobId, 1);
    await app.kill();

    app = await startApp(settings);
    await waitFor(async () => (await row(jobId)).status === 'DEAD', { what: 'the crashed job to be buried' });
    expect(await row(jobId)).toMatchObject({
      attempts: 1,
      interruptions: 1,
      last_error: { code: 'INTERRUPTED_TOO_OFTEN', message: 'interrupted too often: worker lost (lease expired)' },
    });
  });
});
