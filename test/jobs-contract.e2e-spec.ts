import { startApp, type AppProcess } from './support/app-process.js';
import { http, waitForStatus, type HttpAnswer } from './support/http.js';
import { expectProblem, historyOf, jobView, removeDataDir, scratchDataDir, submit, submitted, type JobList, type JobView } from './support/jobs.js';
import { waitFor } from './support/wait-for.js';

const BODY_LIMIT = 4096;
const MISSING = '6f1c2a4e-0000-4000-8000-000000000000';

/**
 * The HTTP contract of issue 2 on one app. WORKER_CONCURRENCY=1 makes "queued behind a running job"
 * a state the tests can set up; every test leaves the single worker slot free again.
 */
describe('job API contract (errors, idempotency, cancel, DEAD, delays, lists, docs, health)', () => {
  let app: AppProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = scratchDataDir('contract');
    app = await startApp({
      DATA_DIR: dataDir,
      WORKER_CONCURRENCY: '1',
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
      RETRY_BASE_DELAY_MS: '100',
      JOB_LEASE_MS: '3000',
    });
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  describe('400: invalid input names the field', () => {
    const runAt = new Date(Date.now() + 60_000).toISOString();
    it.each([
      ['type missing', 'type', {}],
      ['type malformed', 'type', { type: 'Not A Type!' }],
      ['payload not an object', 'payload', { type: 'sleep', payload: [1] }],
      ['payload field out of range', 'payload.ms', { type: 'sleep', payload: { ms: -1 } }],
      ['payload field of the wrong type', 'payload.steps', { type: 'sleep', payload: { steps: 'x' } }],
      ['unknown payload field', 'payload.bogus', { type: 'sleep', payload: { bogus: 1 } }],
      ['unknown body field', 'extra', { type: 'sleep', extra: 1 }],
      ['priority out of range', 'priority', { type: 'sleep', priority: 5000 }],
      ['runAt not a timestamp', 'runAt', { type: 'sleep', runAt: 'tomorrow' }],
      ['both runAt and delaySeconds', 'delaySeconds', { type: 'sleep', runAt, delaySeconds: 5 }],
      ['maxAttempts below 1', 'maxAttempts', { type: 'sleep', maxAttempts: 0 }],
      ['callbackUrl not http(s)', 'callbackUrl', { type: 'sleep', callbackUrl: 'ftp://example.com/x' }],
      ['report payload bad', 'payload.from', { type: 'report', payload: { from: 'yesterday', to: runAt } }],
    ])('POST /jobs with %s → 400 naming %s', async (_label, field, body) => {
      const problem = expectProblem(await submit(app.baseUrl, body), 400, 'validation');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
      expect(problem.detail).toContain(field);
    });

    it('rejects a malformed Idempotency-Key, naming the header', async () => {
      const answer = await submit(app.baseUrl, { type: 'sleep' }, { 'Idempotency-Key': 'x'.repeat(256) });
      expect(expectProblem(answer, 400, 'validation').errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });

    it('rejects a body that is not JSON', async () => {
      const answer = await http(app.baseUrl, '/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
      expectProblem(answer, 400, 'bad-request');
    });

    it.each([
      ['status=BOGUS', 'status'],
      ['limit=0', 'limit'],
      ['limit=many', 'limit'],
      ['type=No%20Such', 'type'],
      ['cursor=not-a-cursor', 'cursor'],
    ])('GET /jobs?%s → 400 naming %s', async (query, field) => {
      const problem = expectProblem(await http(app.baseUrl, `/jobs?${query}`), 400, 'validation');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  it('404 for an unknown job id, a non-UUID id, and a job that is not a report on /reports', async () => {
    for (const path of [`/jobs/${MISSING}`, `/jobs/${MISSING}/status`, `/jobs/${MISSING}/result`, `/jobs/${MISSING}/history`]) {
      expect(expectProblem(await http(app.baseUrl, path), 404, 'job-not-found').detail).toContain(MISSING);
    }
    expectProblem(await http(app.baseUrl, `/jobs/${MISSING}/cancel`, { method: 'POST' }), 404, 'job-not-found');
    expectProblem(await http(app.baseUrl, '/jobs/not-a-uuid'), 404, 'job-not-found');
    expectProblem(await http(app.baseUrl, '/jobs/not-a-uuid/cancel', { method: 'POST' }), 404, 'job-not-found');
    expectProblem(await http(app.baseUrl, '/reports/12345'), 404, 'job-not-found');

    const sleepJob = await submitted(app.baseUrl, { type: 'sleep' });
    expectProblem(await http(app.baseUrl, `/reports/${sleepJob}`), 404, 'job-not-found');
    expectProblem(await http(app.baseUrl, `/reports/${sleepJob}/result`), 404, 'job-not-found');
    await waitForStatus(app.baseUrl, sleepJob, ['COMPLETED']);
  });

  it('413 for a body over BODY_LIMIT_BYTES; a body just under it is accepted', async () => {
    const tooBig = { type: 'sleep', payload: { result: 'x'.repeat(BODY_LIMIT) } };
    expect(expectProblem(await submit(app.baseUrl, tooBig), 413, 'payload-too-large').instance).toBe('/jobs');
    const fits = { type: 'sleep', payload: { result: 'x'.repeat(BODY_LIMIT - 200) } };
    const id = await submitted(app.baseUrl, fits);
    await waitForStatus(app.baseUrl, id, ['COMPLETED']);
    expectProblem(await http(app.baseUrl, '/reports', { method: 'POST', json: { from: 'x'.repeat(BODY_LIMIT), to: 'y' } }), 413, 'payload-too-large');
  });

  it('422 for an unknown job type, listing the known types', async () => {
    const problem = expectProblem(await submit(app.baseUrl, { type: 'no-such-type', payload: {} }), 422, 'unknown-job-type');
    expect(problem.knownTypes).toEqual(['blob', 'report', 'sleep', 'video.transcode']);
    expect(problem.detail).toContain('no-such-type');
  });

  it.each([
    ['text/plain', 'type=sleep'],
    ['application/x-www-form-urlencoded', 'type=sleep'],
  ])('POST /jobs with a %s body → 415 problem', async (contentType, body) => {
    const answer = await http(app.baseUrl, '/jobs', { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(answer.status).toBe(415);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  describe('idempotency on POST /jobs', () => {
    it('same key and same body → the same job, 202 again', async () => {
      const body = { type: 'sleep', payload: { ms: 0, result: { n: 1 } }, priority: 3 };
      const first = await submit(app.baseUrl, body, { 'Idempotency-Key': 'contract-same' });
      expect(first.status).toBe(202);
      // Same request, keys in another order: still the same request.
      const second = await submit(app.baseUrl, { priority: 3, payload: { result: { n: 1 }, ms: 0 }, type: 'sleep' }, { 'Idempotency-Key': 'contract-same' });
      expect(second.status).toBe(202);
      expect(second.body.jobId).toBe(first.body.jobId);
      expect(second.headers.get('location')).toBe(`/jobs/${first.body.jobId}`);
      await waitForStatus(app.baseUrl, first.body.jobId, ['COMPLETED']);
      const third = await submit(app.baseUrl, body, { 'Idempotency-Key': 'contract-same' });
      expect(third).toMatchObject({ status: 202, body: { jobId: first.body.jobId, status: 'COMPLETED' } });
      expect((await historyOf(app.baseUrl, first.body.jobId)).filter((t) => t.to === 'COMPLETED')).toHaveLength(1);
    });

    it('same key and another body → 409 naming the first job', async () => {
      const first = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 1 } }, { 'Idempotency-Key': 'contract-conflict' });
      const problem = expectProblem(
        await submit(app.baseUrl, { type: 'sleep', payload: { ms: 2 } }, { 'Idempotency-Key': 'contract-conflict' }),
        409,
        'idempotency-key-conflict',
      );
      expect(problem.jobId).toBe(first);
      expectProblem(await submit(app.baseUrl, { type: 'sleep', payload: { ms: 1 }, maxAttempts: 1 }, { 'Idempotency-Key': 'contract-conflict' }), 409, 'idempotency-key-conflict');
      await waitForStatus(app.baseUrl, first, ['COMPLETED']);
    });

    it('another key → another job', async () => {
      const a = await submitted(app.baseUrl, { type: 'sleep' }, { 'Idempotency-Key': 'contract-a' });
      const b = await submitted(app.baseUrl, { type: 'sleep' }, { 'Idempotency-Key': 'contract-b' });
      const c = await submitted(app.baseUrl, { type: 'sleep' });
      expect(new Set([a, b, c]).size).toBe(3);
      for (const id of [a, b, c]) await waitForStatus(app.baseUrl, id, ['COMPLETED']);
    });
  });

  it('cancels a QUEUED job and a RUNNING job; the running handler is aborted and never completes', async () => {
    const blocker = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 60_000, steps: 600 } });
    await waitFor(async () => (await jobView(app.baseUrl, blocker)).progress.percent > 0, { what: 'the blocker to run and report progress' });

    // The single worker slot is busy, so this one waits in QUEUED.
    const queued = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 0 } });
    const waiting = await http(app.baseUrl, `/jobs/${queued}`);
    expect(waiting).toMatchObject({ status: 200, body: { status: 'QUEUED' } });
    expect(waiting.headers.get('retry-after')).toBe('2');

    expect(expectProblem(await http(app.baseUrl, `/jobs/${queued}/result`), 409, 'result-not-ready').jobStatus).toBe('QUEUED');
    expect(expectProblem(await http(app.baseUrl, `/jobs/${blocker}/result`), 409, 'result-not-ready').jobStatus).toBe('RUNNING');

    const cancelledQueued = await http(app.baseUrl, `/jobs/${queued}/cancel`, { method: 'POST' });
    expect(cancelledQueued).toMatchObject({ status: 200, body: { jobId: queued, status: 'CANCELLED', error: { code: 'CANCELLED' } } });
    expect((await historyOf(app.baseUrl, queued)).map((t) => t.to)).toEqual(['QUEUED', 'CANCELLED']);

    const cancelledRunning = await http(app.baseUrl, `/jobs/${blocker}/cancel`, { method: 'POST' });
    expect(cancelledRunning).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });

    // The slot frees only when the blocker's handler has returned: a job submitted now finishing
    // long before the blocker's 60 s proves the handler was aborted.
    const after = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 0 } });
    await waitForStatus(app.baseUrl, after, ['COMPLETED'], 15_000);

    const view = await http(app.baseUrl, `/jobs/${blocker}`);
    expect(view).toMatchObject({ status: 200, body: { status: 'CANCELLED', error: { code: 'CANCELLED', message: 'cancelled by request' } } });
    expect(view.body.finishedAt).not.toBeNull();
    expect(view.headers.get('retry-after')).toBeNull();
    expect((await historyOf(app.baseUrl, blocker)).map((t) => t.to)).toEqual(['QUEUED', 'RUNNING', 'CANCELLED']);
    expect(app.logs()).not.toMatch(new RegExp(`could not \\w+ job[^\\n]*${blocker}`));

    // Cancelling a finished job is a conflict, whatever way it finished.
    expect(expectProblem(await http(app.baseUrl, `/jobs/${blocker}/cancel`, { method: 'POST' }), 409, 'job-already-finished').jobStatus).toBe('CANCELLED');
    expect(expectProblem(await http(app.baseUrl, `/jobs/${after}/cancel`, { method: 'POST' }), 409, 'job-already-finished').jobStatus).toBe('COMPLETED');
    expect(expectProblem(await http(app.baseUrl, `/jobs/${queued}/result`), 409, 'result-not-ready').jobStatus).toBe('CANCELLED');
  });

  it('retries exhausted → DEAD; GET /jobs/{id} answers 200 with the error', async () => {
    const id = await submitted(app.baseUrl, { type: 'sleep', maxAttempts: 2, payload: { failAttempts: 5 } });
    await waitForStatus(app.baseUrl, id, ['DEAD']);
    const dead = await http(app.baseUrl, `/jobs/${id}`);
    expect(dead.status).toBe(200);
    expect(dead.headers.get('location')).toBeNull();
    expect(dead.headers.get('retry-after')).toBeNull();
    expect(dead.body).toMatchObject({
      jobId: id,
      status: 'DEAD',
      attempts: 2,
      maxAttempts: 2,
      resultUrl: null,
      error: { message: 'planned failure 2 of 5', code: 'PlannedFailure', attempt: 2 },
    });
    expect(dead.body.finishedAt).not.toBeNull();
    expect((await http(app.baseUrl, `/jobs/${id}/status`)).body).toMatchObject({ status: 'DEAD', resultUrl: null });
    expect((await historyOf(app.baseUrl, id)).map((t) => `${t.to}@${t.attempt}`)).toEqual([
      'QUEUED@0',
      'RUNNING@1',
      'FAILED@1',
      'QUEUED@1',
      'RUNNING@2',
      'DEAD@2',
    ]);
    expectProblem(await http(app.baseUrl, `/jobs/${id}/result`), 409, 'result-not-ready');
    expectProblem(await http(app.baseUrl, `/jobs/${id}/cancel`, { method: 'POST' }), 409, 'job-already-finished');
  });

  it('a retry starts its progress again from 0', async () => {
    const id = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 900, steps: 3, failAttempts: 1 } });
    const secondAttempt = await waitFor(
      async () => {
        const view = await jobView(app.baseUrl, id);
        return view.status === 'RUNNING' && view.attempts === 2 ? view : false;
      },
      { intervalMs: 20, what: 'the second attempt to run' },
    );
    expect(secondAttempt.progress.percent).toBeLessThan(100);
    await waitForStatus(app.baseUrl, id, ['COMPLETED']);
    expect((await jobView(app.baseUrl, id)).progress).toEqual({ percent: 100, message: 'step 3/3' });
  });

  it('a delayed job (runAt or delaySeconds) does not start before its time', async () => {
    const runAt = new Date(Date.now() + 1500);
    const byRunAt = await submit(app.baseUrl, { type: 'sleep', runAt: runAt.toISOString() });
    expect(byRunAt).toMatchObject({ status: 202, body: { status: 'PENDING' } });
    const byDelay = await submit(app.baseUrl, { type: 'sleep', delaySeconds: 1 });
    expect(byDelay).toMatchObject({ status: 202, body: { status: 'PENDING' } });
    expect((await http(app.baseUrl, `/jobs/${byRunAt.body.jobId}`)).body).toMatchObject({ status: 'PENDING', startedAt: null, attempts: 0 });

    for (const id of [byRunAt.body.jobId, byDelay.body.jobId]) await waitForStatus(app.baseUrl, id, ['COMPLETED'], 15_000);
    const viewA = await jobView(app.baseUrl, byRunAt.body.jobId);
    expect(Date.parse(viewA.runAt)).toBeGreaterThanOrEqual(runAt.getTime());
    expect(Date.parse(viewA.startedAt ?? '')).toBeGreaterThanOrEqual(runAt.getTime());
    expect(Date.parse(viewA.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(viewA.runAt));
    const viewB = await jobView(app.baseUrl, byDelay.body.jobId);
    expect(Date.parse(viewB.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(viewB.createdAt) + 1000);
    expect(Date.parse(viewB.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(viewB.runAt));
    expect((await historyOf(app.baseUrl, byRunAt.body.jobId)).map((t) => t.to)).toEqual(['PENDING', 'QUEUED', 'RUNNING', 'COMPLETED']);
  });

  describe('GET /jobs', () => {
    const mine: string[] = [];
    let pendingId: string;
    let cancelledId: string;
    let reportId: string;

    beforeAll(async () => {
      for (let i = 0; i < 7; i++) mine.push(await submitted(app.baseUrl, { type: 'sleep', payload: { result: i } }));
      pendingId = await submitted(app.baseUrl, { type: 'sleep', delaySeconds: 3600 });
      cancelledId = await submitted(app.baseUrl, { type: 'sleep', delaySeconds: 3600 });
      expect((await http(app.baseUrl, `/jobs/${cancelledId}/cancel`, { method: 'POST' })).status).toBe(200);
      const now = Date.now();
      reportId = await submitted(app.baseUrl, { type: 'report', payload: { from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() } });
      for (const id of [...mine, reportId]) await waitForStatus(app.baseUrl, id, ['COMPLETED']);
    });

    afterAll(async () => {
      await http(app.baseUrl, `/jobs/${pendingId}/cancel`, { method: 'POST' });
    });

    async function walk(query: string, limit: number): Promise<JobView[]> {
      const items: JobView[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 1000; page++) {
        const answer: HttpAnswer<JobList> = await http<JobList>(app.baseUrl, `/jobs?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(answer.status).toBe(200);
        expect(answer.body.items.length).toBeLessThanOrEqual(limit);
        items.push(...answer.body.items);
        cursor = answer.body.nextCursor;
        if (!cursor) return items;
        expect(answer.body.items).toHaveLength(limit);
      }
      throw new Error('pagination did not end');
    }

    it('walks every page with a cursor: newest first, no duplicates, no gaps', async () => {
      const all = (await http<JobList>(app.baseUrl, '/jobs?limit=200')).body;
      expect(all.nextCursor).toBeNull();
      const walked = await walk('', 3);
      const ids = walked.map((job) => job.jobId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(all.items.map((job) => job.jobId));
      expect(ids).toEqual(expect.arrayContaining([...mine, pendingId, cancelledId, reportId]));
      const created = walked.map((job) => Date.parse(job.createdAt));
      for (let i = 1; i < created.length; i++) expect(created[i]).toBeLessThanOrEqual(created[i - 1]);
      // The seven were submitted one after another: they come back newest first.
      expect(ids.filter((id) => mine.includes(id))).toEqual([...mine].reverse());
    });

    it('filters by status and by type, also across pages', async () => {
      const cancelled = await walk('status=CANCELLED', 2);
      expect(cancelled.length).toBeGreaterThan(0);
      expect(cancelled.every((job) => job.status === 'CANCELLED')).toBe(true);
      expect(cancelled.map((job) => job.jobId)).toContain(cancelledId);

      const pending = await walk('status=PENDING', 2);
      expect(pending.map((job) => job.jobId)).toEqual([pendingId]);

      const reports = await walk('type=report', 2);
      expect(reports.map((job) => job.jobId)).toEqual([reportId]);

      const sleeps = await walk('type=sleep', 4);
      expect(sleeps.every((job) => job.type === 'sleep')).toBe(true);
      expect(sleeps.map((job) => job.jobId)).toEqual(expect.arrayContaining(mine));
      expect(new Set(sleeps.map((job) => job.jobId)).size).toBe(sleeps.length);

      const completedReports = await walk('type=report&status=COMPLETED', 5);
      expect(completedReports.map((job) => job.jobId)).toEqual([reportId]);
      expect((await http(app.baseUrl, '/jobs?type=report&status=DEAD')).body).toEqual({ items: [], nextCursor: null });
    });
  });

  it('serves Swagger UI at /docs (the document itself is tested in api-contract.e2e-spec.ts)', async () => {
    const ui = await http(app.baseUrl, '/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
    expect(ui.text).toContain('swagger');
  });

  it('answers /health/live and /health/ready (database checked)', async () => {
    expect(await http(app.baseUrl, '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await http(app.baseUrl, '/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', info: { database: { status: 'up' } } } });
  });
});
