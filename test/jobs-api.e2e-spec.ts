import { startApp, type AppProcess } from './support/app-process.js';
import { http, waitForStatus } from './support/http.js';

describe('job API on the embedded profile', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp({ RETRY_BASE_DELAY_MS: '200' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('runs submit → poll → 303 → result', async () => {
    const submitted = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload: { ms: 300, steps: 3, result: { answer: 42 } } } });
    expect(submitted.status).toBe(202);
    const { jobId } = submitted.body;
    expect(submitted.headers.get('location')).toBe(`/jobs/${jobId}`);
    expect(submitted.headers.get('retry-after')).toBe('2');
    expect(submitted.body).toEqual({ jobId, status: 'QUEUED', statusUrl: `/jobs/${jobId}`, progressUrl: `/jobs/${jobId}/progress`, resultUrl: null });

    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    const polled = await http(app.baseUrl, `/jobs/${jobId}`);
    expect(polled.status).toBe(303);
    expect(polled.headers.get('location')).toBe(`/jobs/${jobId}/result`);

    const result = await http(app.baseUrl, `/jobs/${jobId}/result`);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toContain('application/json');
    expect(result.body).toEqual({ answer: 42 });

    const status = await http(app.baseUrl, `/jobs/${jobId}/status`);
    expect(status.body).toEqual({ status: 'COMPLETED', progress: { percent: 100, message: 'step 3/3' }, resultUrl: `/jobs/${jobId}/result` });
  });

  it('retries a failing attempt, then completes', async () => {
    const { body } = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload: { failAttempts: 2 } } });
    await waitForStatus(app.baseUrl, body.jobId, ['COMPLETED']);
    const history = await http(app.baseUrl, `/jobs/${body.jobId}/history`);
    expect(history.body.map((t: { to: string }) => t.to)).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
  });
});
