import { startApp, type AppProcess } from './support/app-process.js';
import { http, waitForStatus } from './support/http.js';
import { expectProblem, removeDataDir, scratchDataDir, submitted } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

/**
 * POST /reports end to end: the report counts the jobs really in the table. The app runs sleep jobs
 * first (some complete, some go DEAD), then reports over exactly their time window.
 */
describe('/reports: the seed example, over real jobs', () => {
  let app: AppProcess;
  let dataDir: string;
  let from: string;
  let to: string;
  const completed: string[] = [];
  const dead: string[] = [];

  beforeAll(async () => {
    dataDir = scratchDataDir('reports');
    app = await startApp({ DATA_DIR: dataDir, RETRY_BASE_DELAY_MS: '50' });
    from = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++) completed.push(await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 20 * i } }));
    for (let i = 0; i < 2; i++) dead.push(await submitted(app.baseUrl, { type: 'sleep', maxAttempts: 2, payload: { failAttempts: 2 } }));
    for (const id of completed) await waitForStatus(app.baseUrl, id, ['COMPLETED']);
    for (const id of dead) await waitForStatus(app.baseUrl, id, ['DEAD']);
    // Reports are jobs too: `to` closes the window before the first report is created.
    to = new Date(Date.now() + 1).toISOString();
    await waitFor(() => Date.now() > Date.parse(to) + 5, { what: 'the report window to close' });
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  async function requestReport(body: unknown, headers: Record<string, string> = {}) {
    return http(app.baseUrl, '/reports', { method: 'POST', json: body, headers });
  }

  it('runs POST 202 → poll → 303 → JSON result whose counts match the jobs table (groupBy type)', async () => {
    const accepted = await requestReport({ from, to, format: 'json', groupBy: 'type' });
    expect(accepted.status).toBe(202);
    const { jobId } = accepted.body;
    expect(accepted.headers.get('location')).toBe(`/reports/${jobId}`);
    expect(accepted.headers.get('retry-after')).toBe('2');
    expect(accepted.body).toEqual({ jobId, status: 'QUEUED', statusUrl: `/reports/${jobId}`, progressUrl: `/jobs/${jobId}/progress`, resultUrl: null });

    const polled = await waitFor(
      async () => {
        const answer = await http(app.baseUrl, `/reports/${jobId}`);
        if (answer.status === 200) expect(['QUEUED', 'RUNNING']).toContain(answer.body.status);
        return answer.status === 303 ? answer : false;
      },
      { what: `report ${jobId} to redirect` },
    );
    expect(polled.headers.get('location')).toBe(`/reports/${jobId}/result`);
    expect(polled.body).toMatchObject({ jobId, type: 'report', status: 'COMPLETED', resultUrl: `/reports/${jobId}/result` });

    const result = await http(app.baseUrl, `/reports/${jobId}/result`);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json');
    expect(result.body).toMatchObject({
      from,
      to,
      groupBy: 'type',
      totals: { total: 5, completed: 3, dead: 2, cancelled: 0, inFlight: 0, successRate: 0.6, attempts: { total: 3 + 4, retried: 2 } },
      groups: [{ key: 'sleep', total: 5, completed: 3, dead: 2, successRate: 0.6 }],
    });
    expect(result.body.groups).toHaveLength(1);
    expect(result.body.totals.durationMs).toMatchObject({ p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) });

    // The same result through /jobs.
    const viaJobs = await http(app.baseUrl, `/jobs/${jobId}/result`);
    expect(viaJobs.text).toBe(result.text);
    expect((await http(app.baseUrl, `/jobs/${jobId}/status`)).body).toEqual({
      status: 'COMPLETED',
      progress: { percent: 100, message: 'report ready' },
      resultUrl: `/jobs/${jobId}/result`,
      error: null,
    });
  });

  it('produces CSV with text/csv (groupBy status)', async () => {
    const accepted = await requestReport({ from, to, format: 'csv', groupBy: 'status' });
    expect(accepted.status).toBe(202);
    await waitForStatus(app.baseUrl, accepted.body.jobId, ['COMPLETED']);
    expect((await http(app.baseUrl, `/reports/${accepted.body.jobId}`)).status).toBe(303);
    const csv = await http(app.baseUrl, `/reports/${accepted.body.jobId}/result`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split(/\r?\n/);
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i], cell])));
    expect(header.slice(0, 7)).toEqual(['key', 'total', 'completed', 'dead', 'cancelled', 'in_flight', 'success_rate']);
    expect(rows.map((row) => row.key)).toEqual(['COMPLETED', 'DEAD', 'TOTAL']);
    expect(rows[0]).toMatchObject({ total: '3', completed: '3', dead: '0', success_rate: '1', attempts: '3' });
    expect(rows[1]).toMatchObject({ total: '2', completed: '0', dead: '2', success_rate: '0', attempts: '4', retried: '2' });
    expect(rows[2]).toMatchObject({ total: '5', completed: '3', dead: '2', success_rate: '0.6' });
  });

  it('reports nothing for an empty window and 400s a bad body, naming the field', async () => {
    const empty = await requestReport({ from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' });
    await waitForStatus(app.baseUrl, empty.body.jobId, ['COMPLETED']);
    const result = await http(app.baseUrl, `/reports/${empty.body.jobId}/result`);
    expect(result.body).toMatchObject({ groupBy: 'type', groups: [], totals: { total: 0, successRate: null } });

    const missing = expectProblem(await requestReport({ to }), 400, 'validation');
    expect(missing.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'from' })]));
    const badFormat = expectProblem(await requestReport({ from, to, format: 'pdf' }), 400, 'validation');
    expect(badFormat.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    const badGroup = expectProblem(await requestReport({ from, to, groupBy: 'owner' }), 400, 'validation');
    expect(badGroup.errors).toEqual([expect.objectContaining({ field: 'groupBy' })]);
    expectProblem(await requestReport({ from, to, type: 'sleep' }), 400, 'validation');
  });

  it('a report whose from is not before to goes DEAD at once with the reason', async () => {
    const backwards = await requestReport({ from: to, to: from });
    expect(backwards.status).toBe(202);
    await waitForStatus(app.baseUrl, backwards.body.jobId, ['DEAD']);
    const view = await http(app.baseUrl, `/reports/${backwards.body.jobId}`);
    expect(view).toMatchObject({ status: 200, body: { status: 'DEAD', attempts: 1, error: { code: 'PERMANENT', message: '"from" must be before "to"' } } });
    expectProblem(await http(app.baseUrl, `/reports/${backwards.body.jobId}/result`), 409, 'result-not-ready');
  });

  it('idempotency: same key + same body → same report; another body → 409', async () => {
    const body = { from, to, format: 'json' };
    const first = await requestReport(body, { 'Idempotency-Key': 'report-key-1' });
    const again = await requestReport({ format: 'json', to, from }, { 'Idempotency-Key': 'report-key-1' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.jobId).toBe(first.body.jobId);
    expect(again.headers.get('location')).toBe(`/reports/${first.body.jobId}`);

    const conflict = expectProblem(await requestReport({ ...body, format: 'csv' }, { 'Idempotency-Key': 'report-key-1' }), 409, 'idempotency-key-conflict');
    expect(conflict.jobId).toBe(first.body.jobId);
    // One key names one request, whichever endpoint it came through.
    expectProblem(
      await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep' }, headers: { 'Idempotency-Key': 'report-key-1' } }),
      409,
      'idempotency-key-conflict',
    );
    await waitForStatus(app.baseUrl, first.body.jobId, ['COMPLETED']);
  });

  it('404 for an unknown report', async () => {
    expectProblem(await http(app.baseUrl, '/reports/6f1c2a4e-0000-4000-8000-000000000000'), 404, 'job-not-found');
    expectProblem(await http(app.baseUrl, '/reports/6f1c2a4e-0000-4000-8000-000000000000/result'), 404, 'job-not-found');
  });
});
