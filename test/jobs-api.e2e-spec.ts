import type { LonghaulClient } from '../clients/typescript/src/index.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { clientFor } from './support/client.js';
import { http, waitForStatus } from './support/http.js';

describe('job API on the embedded profile', () => {
  let app: AppProcess;
  let client: LonghaulClient;

  beforeAll(async () => {
    app = await startApp({ RETRY_BASE_DELAY_MS: '200' });
    client = clientFor(app);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('runs submit → poll → 303 → result', async () => {
    const submitted = await client.POST('/jobs', { body: { type: 'sleep', payload: { ms: 300, steps: 3, result: { answer: 42 } } } });
    expect(submitted.response.status).toBe(202);
    const jobId = submitted.data!.jobId;
    expect(submitted.response.headers.get('location')).toBe(`/jobs/${jobId}`);
    expect(submitted.response.headers.get('retry-after')).toBe('2');
    expect(submitted.data).toEqual({ jobId, status: 'QUEUED', statusUrl: `/jobs/${jobId}`, progressUrl: `/jobs/${jobId}/progress`, resultUrl: null });

    const status = await client.waitForJob(jobId, { pollIntervalMs: 50 });
    expect(status).toEqual({ status: 'COMPLETED', progress: { percent: 100, message: 'step 3/3' }, resultUrl: `/jobs/${jobId}/result`, error: null });

    // Plain HTTP clients that follow redirects poll GET /jobs/{id}: 303 to the result once COMPLETED.
    const polled = await http(app.baseUrl, `/jobs/${jobId}`);
    expect(polled.status).toBe(303);
    expect(polled.headers.get('location')).toBe(`/jobs/${jobId}/result`);

    const result = await client.GET('/jobs/{id}/result', { params: { path: { id: jobId } } });
    expect(result.response.status).toBe(200);
    expect(result.response.headers.get('content-type')).toContain('application/json');
    expect(result.data).toEqual({ answer: 42 });
  });

  it('retries a failing attempt, then completes', async () => {
    const finished = await client.submitAndWait({ type: 'sleep', payload: { failAttempts: 2 } }, { waitSeconds: 10, pollIntervalMs: 100 });
    expect(finished.status).toBe('COMPLETED');
    const history = await client.GET('/jobs/{id}/history', { params: { path: { id: finished.jobId } } });
    expect(history.data!.map((t) => t.to)).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
  });

  it('concurrent submissions share inserts yet stay separate: each gets its own job, a shared key one job, another body 409', async () => {
    const plain = await Promise.all(Array.from({ length: 40 }, (_, i) => http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload: { result: i } } })));
    expect(plain.map((answer) => answer.status)).toEqual(Array(40).fill(202));
    expect(new Set(plain.map((answer) => answer.body.jobId)).size).toBe(40);

    const key = { 'Idempotency-Key': `burst-${Date.now()}` };
    const same = await Promise.all(
      Array.from({ length: 20 }, () => http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload: { result: 'once' } }, headers: key })),
    );
    expect(same.map((answer) => answer.status)).toEqual(Array(20).fill(202));
    expect(new Set(same.map((answer) => answer.body.jobId)).size).toBe(1);
    const other = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload: { result: 'other' } }, headers: key });
    expect(other.status).toBe(409);

    for (const [i, answer] of plain.entries()) {
      await waitForStatus(app.baseUrl, answer.body.jobId, ['COMPLETED']);
      expect((await http(app.baseUrl, `/jobs/${answer.body.jobId}/result`)).body).toBe(i);
    }
  });
});
