import { startApp, type AppProcess } from './support/app-process.js';
import { http, waitForStatus } from './support/http.js';

describe('Prometheus metrics', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('counts the state changes of finished jobs and times them', async () => {
    const { body } = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload: { ms: 20 } } });
    await waitForStatus(app.baseUrl, body.jobId, ['COMPLETED']);
    const scrape = await http(app.baseUrl, '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    expect(scrape.text).toMatch(/longhaul_job_transitions_total\{type="sleep",to="COMPLETED"\} [1-9]/);
    expect(scrape.text).toMatch(/longhaul_job_duration_seconds_count\{type="sleep",status="COMPLETED"\} [1-9]/);
    expect(scrape.text).toContain('longhaul_process_resident_memory_bytes');
  });
});
