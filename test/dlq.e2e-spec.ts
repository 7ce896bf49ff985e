import { startApp, type AppProcess } from './support/app-process.js';
import { http, waitForStatus } from './support/http.js';

describe('dead letter admin API', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp({ RETRY_BASE_DELAY_MS: '50' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function deadJob(): Promise<string> {
    const submitted = await http(app.baseUrl, '/jobs', {
      method: 'POST',
      json: { type: 'sleep', maxAttempts: 2, payload: { failAttempts: 5, result: { ok: true } } },
    });
    await waitForStatus(app.baseUrl, submitted.body.jobId, ['DEAD']);
    return submitted.body.jobId as string;
  }

  it('lists dead jobs with their last error', async () => {
    const id = await deadJob();
    const list = await http(app.baseUrl, '/admin/dlq?type=sleep');
    expect(list.status).toBe(200);
    const entry = list.body.items.find((item: { jobId: string }) => item.jobId === id);
    expect(entry).toMatchObject({ status: 'DEAD', attempts: 2, error: { message: 'planned failure 2 of 5' }, replays: [] });
    expect(list.body.items.every((item: { status: string }) => item.status === 'DEAD')).toBe(true);
  });

  it('replays a dead job with a corrected payload as a new job, linked to the dead one', async () => {
    const id = await deadJob();
    const replay = await http(app.baseUrl, `/admin/dlq/${id}/replay`, { method: 'POST', json: { payload: { result: { fixed: true } } } });
    expect(replay.status).toBe(202);
    expect(replay.headers.get('location')).toBe(`/jobs/${replay.body.jobId}`);
    expect(replay.body.jobId).not.toBe(id);
    await waitForStatus(app.baseUrl, replay.body.jobId, ['COMPLETED']);
    expect((await http(app.baseUrl, `/jobs/${replay.body.jobId}/result`)).body).toEqual({ fixed: true });

    const dead = await http(app.baseUrl, `/admin/dlq/${id}`);
    expect(dead.body.status).toBe('DEAD');
    expect(dead.body.replays).toEqual([expect.objectContaining({ jobId: replay.body.jobId, payloadChanged: true })]);
  });

  it('makes a double-clicked replay with one Idempotency-Key create one job', async () => {
    const id = await deadJob();
    const headers = { 'Idempotency-Key': `replay-${id}` };
    const first = await http(app.baseUrl, `/admin/dlq/${id}/replay`, { method: 'POST', json: {}, headers });
    const second = await http(app.baseUrl, `/admin/dlq/${id}/replay`, { method: 'POST', json: {}, headers });
    expect(second.body.jobId).toBe(first.body.jobId);
    expect((await http(app.baseUrl, `/admin/dlq/${id}`)).body.replays).toHaveLength(1);
  });

  it('refuses to replay a job that is not dead, and 404s an unknown one', async () => {
    const live = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', delaySeconds: 600 } });
    const refused = await http(app.baseUrl, `/admin/dlq/${live.body.jobId}/replay`, { method: 'POST', json: {} });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.type).toMatch(/job-not-dead$/);
    const unknown = await http(app.baseUrl, '/admin/dlq/5d1f4a0e-1111-4222-8333-944455556666/replay', { method: 'POST', json: {} });
    expect(unknown.status).toBe(404);
  });
});
