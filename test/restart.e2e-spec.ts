import { startApp, type AppProcess } from './support/app-process.js';
import { http, waitForStatus } from './support/http.js';
import { historyOf, jobView, removeDataDir, scratchDataDir, submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

/** Durability: one DATA_DIR, the app stopped gracefully and killed outright while a job runs. */
describe('restarts on the same DATA_DIR', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let app: AppProcess | undefined;

  beforeAll(() => {
    dataDir = scratchDataDir('restart');
    env = { DATA_DIR: dataDir, JOB_LEASE_MS: '2000', SHUTDOWN_GRACE_MS: '200', RETRY_BASE_DELAY_MS: '100' };
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  async function runningWithProgress(jobId: string): Promise<void> {
    await waitFor(
      async () => {
        const view = await jobView(app!.baseUrl, jobId);
        return view.status === 'RUNNING' && view.progress.percent > 0;
      },
      { what: `job ${jobId} to be running` },
    );
  }

  it('SIGTERM mid-job: the attempt is handed back and the job completes after the restart', async () => {
    app = await startApp(env);
    const interrupted = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 2000, steps: 20, result: { survived: 'SIGTERM' } } });
    const delayed = await submitted(app.baseUrl, { type: 'sleep', delaySeconds: 2, payload: { result: 'later' } });
    await runningWithProgress(interrupted);

    expect(await app.stop()).toBe(0);
    expect(app.logs()).toContain('releasing running jobs for a later attempt');

    app = await startApp(env);
    await waitForStatus(app.baseUrl, interrupted, ['COMPLETED'], 30_000);
    await waitForStatus(app.baseUrl, delayed, ['COMPLETED'], 30_000);

    const history = await historyOf(app.baseUrl, interrupted);
    expect(history.map((t) => t.to)).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
    expect(history[2].reason).toMatch(/interrupted by shutdown/);
    // A shutdown is an interruption, not a failure: two attempts started, one interrupted, none failed.
    expect(await jobView(app.baseUrl, interrupted)).toMatchObject({ attempts: 2, interruptions: 1, maxAttempts: 3 });
    expect((await http(app.baseUrl, `/jobs/${interrupted}/result`)).body).toEqual({ survived: 'SIGTERM' });
    expect((await http(app.baseUrl, `/jobs/${delayed}/result`)).body).toBe('later');
  });

  it('SIGKILL mid-job: after the restart the lease expires and the job completes exactly once', async () => {
    app ??= await startApp(env);
    const killed = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 2000, steps: 20, result: { survived: 'SIGKILL' } } });
    await runningWithProgress(killed);
    await app.kill();

    app = await startApp(env);
    // The killed process left its embedded PostgreSQL running; the new one adopts it.
    expect(app.logs()).toContain('reusing the server already running on the cluster');
    await waitForStatus(app.baseUrl, killed, ['COMPLETED'], 30_000);

    const history = await historyOf(app.baseUrl, killed);
    expect(history.filter((t) => t.to === 'COMPLETED')).toHaveLength(1);
    expect(history.map((t) => t.to)).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
    expect(history[2].reason).toBe('lease expired');
    expect(await jobView(app.baseUrl, killed)).toMatchObject({ attempts: 2, interruptions: 1 });
    expect((await http(app.baseUrl, `/jobs/${killed}/result`)).body).toEqual({ survived: 'SIGKILL' });
  });
});
