import { randomBytes } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { compareEventIds, SseStream, type SseEvent } from './support/sse-client.js';
import { waitFor } from './support/wait-for.js';

const HEARTBEAT_MS = 200;
const MAX_DURATION_MS = 6000;

const profiles: Array<[string, () => Record<string, string>]> = [
  ['embedded profile (in-process events)', () => ({})],
  [
    'Redis profile (hash + pub/sub)',
    () => ({
      REDIS_URL: 'redis://127.0.0.1:6379',
      PROGRESS_KEY_PREFIX: `e2e-${randomBytes(4).toString('hex')}:`,
    }),
  ],
];

describe.each(profiles)('GET /jobs/{id}/progress on the %s', (_label, profileEnv) => {
  let schema: TestSchema;
  let app: AppProcess;

  beforeAll(async () => {
    schema = await createTestSchema('progress_sse');
    app = await startApp({
      ...schema.env,
      ...profileEnv(),
      SSE_HEARTBEAT_MS: String(HEARTBEAT_MS),
      SSE_MAX_DURATION_MS: String(MAX_DURATION_MS),
      SSE_RETRY_MS: '500',
    });
  });

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  const url = (jobId: string) => `${app.baseUrl}/jobs/${jobId}/progress`;
  const transitionRows = (jobId: string) =>
    schema.query<{ id: string; to_status: string }>(
      `SELECT id::text, to_status FROM job_transitions WHERE job_id = $1 ORDER BY id`,
      [jobId],
    );

  it('sends the snapshot first, then status and progress events in order with growing ids, and ends after the terminal event', async () => {
    const jobId = await submitted(app.baseUrl, {
      type: 'sleep',
      delaySeconds: 1,
      payload: { ms: 1200, steps: 6 },
    });
    const stream = await SseStream.open(url(jobId));
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toContain('no-cache');

    await stream.waitForEnd();
    const [snapshot, ...rest] = stream.events;
    expect(snapshot.event).toBe('snapshot');
    expect(snapshot.data).toMatchObject({
      jobId,
      type: 'sleep',
      status: 'PENDING',
      progress: { percent: 0 },
    });
    expect(stream.retries[0]).toBe(500);

    // Every event has an id, and ids only grow.
    const ids = stream.events.map((event) => event.id);
    expect(ids.every((id) => typeof id === 'string' && /^\d+-\d+$/.test(id))).toBe(true);
    for (let i = 1; i < ids.length; i++)
      expect(compareEventIds(ids[i - 1]!, ids[i]!)).toBeLessThan(0);

    // Status events are exactly the job's transitions after the snapshot, in order.
    const rows = await transitionRows(jobId);
    const snapshotTransition = Number(snapshot.id!.split('-')[0]);
    const statuses = rest.filter((event) => event.event === 'status');
    expect(statuses.map((event) => event.data.transitionId)).toEqual(
      rows.filter((row) => Number(row.id) > snapshotTransition).map((row) => row.id),
    );
    expect(statuses.map((event) => event.data.to)).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    expect(statuses.at(-1)!.data).toMatchObject({
      from: 'RUNNING',
      to: 'COMPLETED',
      resultUrl: `/jobs/${jobId}/result`,
    });

    // Progress comes between RUNNING and COMPLETED, never goes backwards, and reaches 100.
    const order = rest.map((event) => (event.event === 'status' ? event.data.to : 'progress'));
    const firstProgress = order.indexOf('progress');
    expect(firstProgress).toBeGreaterThan(order.indexOf('RUNNING'));
    expect(order.lastIndexOf('progress')).toBeLessThan(order.indexOf('COMPLETED'));
    const percents = rest
      .filter((event) => event.event === 'progress')
      .map((event) => event.data.percent ?? -1);
    expect(percents.length).toBeGreaterThanOrEqual(2);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(percents.at(-1)).toBe(100);
    // The terminal event is the last one: the server ended the stream right after it.
    expect(stream.events.at(-1)!.data.to).toBe('COMPLETED');
  });

  it('resumes with Last-Event-ID: sends every status change missed, then 204 once the client has the terminal event', async () => {
    const jobId = await submitted(app.baseUrl, {
      type: 'sleep',
      delaySeconds: 1,
      payload: { ms: 300, steps: 3 },
    });
    const first = await SseStream.open(url(jobId));
    const [snapshot] = await first.waitForEvents((event) => event.event === 'snapshot');
    first.close();
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);

    const resumed = await SseStream.open(url(jobId), { lastEventId: snapshot.id });
    expect(resumed.status).toBe(200);
    await resumed.waitForEnd();
    expect(resumed.events.map((event) => event.event)).not.toContain('snapshot');
    expect(
      resumed.events.filter((event) => event.event === 'status').map((event) => event.data.to),
    ).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    expect(compareEventIds(snapshot.id!, resumed.events[0].id!)).toBeLessThan(0);

    const again = await SseStream.open(url(jobId), { lastEventId: resumed.events.at(-1)!.id });
    expect(again.status).toBe(204);
    await again.waitForEnd();
    expect(again.events).toEqual([]);

    // Without Last-Event-ID a finished job still answers with its snapshot, then ends.
    const fresh = await SseStream.open(url(jobId));
    await fresh.waitForEnd();
    expect(fresh.events.map((event) => [event.event, event.data.status])).toEqual([
      ['snapshot', 'COMPLETED'],
    ]);
    expect(fresh.events[0].data.progress?.percent).toBe(100);
  });

  it('resumes a running job where the client left off, and polling shows the live progress too', async () => {
    const jobId = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 4000, steps: 8 } });
    const first = await SseStream.open(url(jobId));
    const [seen] = await first.waitForEvents(
      (event) =>
        event.event === 'progress' ||
        (event.event === 'snapshot' && (event.data.progress?.percent ?? 0) > 0),
    );
    first.close();
    const seenPercent =
      (seen.event === 'progress' ? seen.data.percent : seen.data.progress?.percent) ?? 0;

    // Poll until the job has moved on while we were away (GET /status carries live progress).
    const status = await waitFor(
      async () => {
        const answer = await http<{ status: string; progress: { percent: number } }>(
          app.baseUrl,
          `/jobs/${jobId}/status`,
        );
        return answer.body.status === 'RUNNING' && answer.body.progress.percent >= seenPercent + 25
          ? answer.body
          : false;
      },
      { timeoutMs: 10_000, what: 'live progress to advance' },
    );
    const polled = await http(app.baseUrl, `/jobs/${jobId}`);
    expect(polled.status).toBe(200);
    expect(polled.body.progress.percent).toBeGreaterThanOrEqual(status.progress.percent);
    expect(polled.body.progress.message).toMatch(/^step \d\/8$/);

    const resumed = await SseStream.open(url(jobId), { lastEventId: seen.id });
    await resumed.waitForEnd();
    const [next] = resumed.events;
    // Nothing already seen comes again: the first event is newer progress, not a snapshot or an old status.
    expect(next.event).toBe('progress');
    expect(next.data.percent).toBeGreaterThanOrEqual(status.progress.percent);
    expect(compareEventIds(seen.id!, next.id!)).toBeLessThan(0);
    expect(
      resumed.events.filter((event) => event.event === 'status').map((event) => event.data.to),
    ).toEqual(['COMPLETED']);
  });

  it('sends heartbeat comments on an idle stream, and ends it cleanly at the time limit so the client can resume', async () => {
    const jobId = await submitted(app.baseUrl, { type: 'sleep', delaySeconds: 120 });
    const stream = await SseStream.open(url(jobId));
    await waitFor(() => stream.comments.filter((comment) => comment === 'heartbeat').length >= 3, {
      what: 'three heartbeats',
    });
    expect(stream.events.map((event) => event.event)).toEqual(['snapshot']);

    await stream.waitForEnd(MAX_DURATION_MS + 5000);
    expect(stream.comments.at(-1)).toContain('time limit reached');
    expect(stream.retries.at(-1)).toBe(500);

    const resumed = await SseStream.open(url(jobId), { lastEventId: stream.events[0].id });
    expect(resumed.status).toBe(200);
    expect((await http(app.baseUrl, `/jobs/${jobId}/cancel`, { method: 'POST' })).status).toBe(200);
    await resumed.waitForEnd();
    expect(resumed.events.map((event: SseEvent) => [event.event, event.data.to])).toEqual([
      ['status', 'CANCELLED'],
    ]);
  }, 30_000);

  it('answers 404 problems for unknown or malformed job ids', async () => {
    const unknown = await http(app.baseUrl, '/jobs/3b241101-e2bb-4255-8caf-4136c566a962/progress');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({
      type: 'https://longhaul.dev/problems/job-not-found',
      status: 404,
    });
    expect((await http(app.baseUrl, '/jobs/not-a-job/progress')).status).toBe(404);
  });

  it('follows many jobs on one stream (GET /jobs/progress?ids=) until all are finished', async () => {
    const a = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 300, steps: 2 } });
    const b = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 600, steps: 3 } });
    const stream = await SseStream.open(
      `${app.baseUrl}/jobs/progress?ids=${a},${b},3b241101-e2bb-4255-8caf-4136c566a962`,
    );
    expect(stream.status).toBe(200);
    await stream.waitForEnd();
    expect(
      stream.events
        .filter((event) => event.event === 'snapshot')
        .map((event) => event.data.jobId)
        .sort(),
    ).toEqual([a, b].sort());
    for (const jobId of [a, b]) {
      const own = stream.events.filter((event) => event.data.jobId === jobId);
      expect(own[0].event).toBe('snapshot');
      const last = own.at(-1)!;
      expect(last.event === 'status' ? last.data.to : last.data.status).toBe('COMPLETED');
    }
    expect(stream.events.every((event) => event.id === undefined)).toBe(true);

    const bad = await http(app.baseUrl, '/jobs/progress?ids=nope');
    expect(bad.status).toBe(400);
  });

  it('documents the stream as text/event-stream with a string schema, and its event data schemas', async () => {
    interface OpenApi {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: object }> }>; parameters: Array<{ name: string }> } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    }
    const doc = (await http<OpenApi>(app.baseUrl, '/docs-json')).body;
    for (const path of ['/jobs/{id}/progress', '/jobs/progress']) {
      const content = doc.paths[path].get.responses['200'].content;
      expect(Object.keys(content)).toEqual(['text/event-stream']);
      expect(content['text/event-stream'].schema).toMatchObject({ type: 'string' });
    }
    expect(doc.paths['/jobs/{id}/progress'].get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'Last-Event-ID']));
    for (const name of ['SnapshotEventData', 'ProgressEventData', 'StatusEventData']) {
      expect(doc.components.schemas[name].properties).toHaveProperty('jobId');
    }
  });
});
