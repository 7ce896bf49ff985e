import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobStreamEvent, LonghaulClient } from '../clients/typescript/src/index.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { clientFor } from './support/client.js';
import { http, waitForStatus } from './support/http.js';
import { removeDataDir, scratchDataDir, submitted } from './support/jobs.js';

const WAIT_CAP_SECONDS = 3;
const read = (file: string): Record<string, any> => JSON.parse(readFileSync(resolve(file), 'utf8'));

/**
 * The statuses each operation documents. Every answer of the e2e suites is checked against the
 * document (test/support/contract), so a status the server sends must be listed there, and here.
 * Statuses of a whole class of operations are added in one place (src/contract/openapi/standard-responses.ts);
 * `everywhere` mirrors that list.
 */
const SERVER = [500, 503];
/** With API_KEYS: 401 without a (known) key, 429 past the rate limit; 403 where a role (or a tenant filter) can be refused. */
const ANY_KEY = [401, 429];
const SOME_KEYS = [401, 403, 429];
const BODY = [400, 413, 415];
const everywhere = (own: number[], method = 'get') => [...own, ...SERVER, ...(method === 'get' ? [] : BODY)].map(String).sort();
const OWN_STATUSES: Record<string, string[]> = {
  submitJob: everywhere([200, 202, 404, 409, 422, ...SOME_KEYS], 'post'),
  listJobs: everywhere([200, 400, ...SOME_KEYS]),
  getJob: everywhere([200, 303, 404, ...ANY_KEY]),
  getJobStatus: everywhere([200, 404, ...ANY_KEY]),
  getJobHistory: everywhere([200, 404, ...ANY_KEY]),
  getJobResult: everywhere([200, 303, 404, 409, 410, ...ANY_KEY]),
  getJobResultFile: everywhere([200, 303, 404, 409, 410, ...ANY_KEY]),
  cancelJob: everywhere([200, 404, 409, ...SOME_KEYS], 'post'),
  followJobProgress: everywhere([200, 204, 404, ...ANY_KEY]),
  followJobsProgress: everywhere([200, 400, 404, ...ANY_KEY]),
  requestReport: everywhere([200, 202, 409, ...SOME_KEYS], 'post'),
  getReport: everywhere([200, 303, 404, ...ANY_KEY]),
  getReportResult: everywhere([200, 303, 404, 409, 410, ...ANY_KEY]),
  createSchedule: everywhere([201, 409, 422, ...SOME_KEYS], 'post'),
  listSchedules: everywhere([200, 400, ...SOME_KEYS]),
  getSchedule: everywhere([200, 404, ...ANY_KEY]),
  updateSchedule: everywhere([200, 404, 409, 422, ...SOME_KEYS], 'patch'),
  deleteSchedule: everywhere([204, 404, ...SOME_KEYS], 'delete'),
  triggerSchedule: everywhere([202, 404, 422, ...SOME_KEYS], 'post'),
  pauseSchedule: everywhere([200, 404, ...SOME_KEYS], 'post'),
  resumeSchedule: everywhere([200, 404, ...SOME_KEYS], 'post'),
  listDeadLetters: everywhere([200, 400, ...SOME_KEYS]),
  getDeadLetter: everywhere([200, 404, 409, ...SOME_KEYS]),
  bulkReplayDeadLetters: everywhere([200, 202, ...SOME_KEYS], 'post'),
  purgeDeadLetter: everywhere([204, 404, 409, ...SOME_KEYS], 'delete'),
  listDeadMessages: everywhere([200, 400, ...SOME_KEYS]),
  getDeadMessage: everywhere([200, 404, ...SOME_KEYS]),
  replayDeadMessage: everywhere([202, 404, 409, 422, ...SOME_KEYS], 'post'),
  purgeDeadMessage: everywhere([204, 404, ...SOME_KEYS], 'delete'),
  listAuditEntries: everywhere([200, 400, ...SOME_KEYS]),
  createApiKey: everywhere([201, 409, ...SOME_KEYS], 'post'),
  listApiKeys: everywhere([200, ...SOME_KEYS]),
  deleteApiKey: everywhere([204, 404, ...SOME_KEYS], 'delete'),
  replayDeadLetter: everywhere([202, 404, 409, 422, ...SOME_KEYS], 'post'),
  createWebhook: everywhere([201, 422, ...SOME_KEYS], 'post'),
  listWebhooks: everywhere([200, 400, ...SOME_KEYS]),
  listJobDeliveries: everywhere([200, 400, ...SOME_KEYS]),
  redeliverWebhookDelivery: everywhere([202, 404, 409, ...SOME_KEYS], 'post'),
  getWebhook: everywhere([200, 404, ...ANY_KEY]),
  updateWebhook: everywhere([200, 404, 422, ...SOME_KEYS], 'patch'),
  deleteWebhook: everywhere([204, 404, ...SOME_KEYS], 'delete'),
  rotateWebhookSecret: everywhere([200, 404, ...SOME_KEYS], 'post'),
  testWebhook: everywhere([202, 404, ...SOME_KEYS], 'post'),
  listWebhookDeliveries: everywhere([200, 400, 404, ...SOME_KEYS]),
  createEmailSubscription: everywhere([201, ...SOME_KEYS], 'post'),
  listEmailSubscriptions: everywhere([200, 400, ...SOME_KEYS]),
  listEmailDeliveries: everywhere([200, 400, ...SOME_KEYS]),
  deleteEmailSubscription: everywhere([204, 404, ...SOME_KEYS], 'delete'),
  uploadFile: everywhere([201, ...SOME_KEYS], 'post'),
  getLiveness: ['200', '500'],
  getReadiness: ['200', '500', '503'],
};

/** Operations with a path parameter: a malformed one (bad percent-encoding, a NUL) is a 400 before any handler runs. */
const PATH_PARAMETER_OPERATIONS = new Set(
  ('deleteApiKey getJob getJobStatus getJobHistory getJobResult getJobResultFile cancelJob getReport getReportResult getSchedule ' +
    'updateSchedule deleteSchedule triggerSchedule pauseSchedule resumeSchedule getDeadLetter purgeDeadLetter replayDeadLetter ' +
    'redeliverWebhookDelivery getWebhook updateWebhook deleteWebhook rotateWebhookSecret testWebhook listWebhookDeliveries followJobProgress ' +
    'deleteEmailSubscription getDeadMessage replayDeadMessage purgeDeadMessage').split(' '),
);
/** Every operation can answer 414 (a request line past the server's limit). */
const STATUSES = Object.fromEntries(
  Object.entries(OWN_STATUSES).map(([operation, own]) => [
    operation,
    [...new Set([...own, '414', ...(PATH_PARAMETER_OPERATIONS.has(operation) ? ['400'] : [])])].sort(),
  ]),
);

describe('the API contract (OpenAPI 3.1 at /docs-json, AsyncAPI 3.0 at /asyncapi.json)', () => {
  let app: AppProcess;
  let dataDir: string;
  let client: LonghaulClient;

  beforeAll(async () => {
    dataDir = scratchDataDir('api-contract');
    app = await startApp({ DATA_DIR: dataDir, PREFER_WAIT_MAX_SECONDS: String(WAIT_CAP_SECONDS), DAILY_REPORT_ENABLED: 'false' });
    client = clientFor(app);
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  describe('documents', () => {
    let served: Record<string, any>;

    beforeAll(async () => {
      served = (await http(app.baseUrl, '/docs-json')).body;
    });

    it('serves exactly the checked-in docs/openapi.json and docs/asyncapi.json', async () => {
      expect(served).toEqual(read('docs/openapi.json'));
      const asyncApi = await http(app.baseUrl, '/asyncapi.json');
      expect(asyncApi.headers.get('content-type')).toContain('application/json');
      expect(asyncApi.body).toEqual(read('docs/asyncapi.json'));
    });

    it('is OpenAPI 3.1 with servers, declared tags and no 3.0 leftovers', () => {
      expect(served.openapi).toBe('3.1.0');
      expect(served.servers.length).toBeGreaterThan(0);
      const text = JSON.stringify(served);
      expect(text).not.toContain('"nullable"');
      expect(JSON.stringify(served.components)).not.toContain('"example"');
      expect(text).not.toContain('*/');
      for (const item of Object.values<Record<string, { parameters?: Array<{ in: string; name: string; schema: object }> }>>(served.paths)) {
        for (const operation of Object.values(item)) {
          for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'path')) {
            // Ids are UUIDs; a result file's name has a pattern of its own.
            expect(parameter.schema).toMatchObject(parameter.name === 'name' ? { type: 'string', pattern: expect.any(String) } : { type: 'string', format: 'uuid' });
          }
        }
      }
      const declared = served.tags.map((tag: { name: string }) => tag.name);
      for (const item of Object.values<Record<string, { tags: string[] }>>(served.paths)) {
        for (const operation of Object.values(item)) expect(declared).toEqual(expect.arrayContaining(operation.tags));
      }
    });

    it('documents, for every operation, every status the server can send', () => {
      const documented: Record<string, string[]> = {};
      for (const item of Object.values<Record<string, { operationId: string; responses: object }>>(served.paths)) {
        for (const operation of Object.values(item)) documented[operation.operationId] = Object.keys(operation.responses).sort();
      }
      expect(documented).toEqual(STATUSES);
    });

    it('declares the API-key schemes and states every operation’s security (public ones: none)', () => {
      expect(served.components.securitySchemes).toEqual({
        bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
        'api-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      });
      expect(served.paths['/jobs'].post.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
      expect(served.paths['/health/live'].get.security).toEqual([]);
      expect(served.webhooks['job.complete'].post.security).toEqual([]);
    });

    it('types submissions and schedule jobs as unions on `type`, built from the registered handlers', () => {
      const schemas = served.components.schemas;
      for (const union of ['JobSubmission', 'ScheduledJob', 'KafkaJobMessage']) {
        expect(schemas[union].discriminator.propertyName).toBe('type');
        expect(Object.keys(schemas[union].discriminator.mapping)).toEqual(['blob', 'report', 'sleep', 'video.transcode']);
      }
      expect(schemas.SleepJobSubmission.properties.payload).toEqual({ $ref: '#/components/schemas/SleepPayload' });
      expect(schemas.ReportJobSubmission.required).toEqual(expect.arrayContaining(['type', 'payload']));
      expect(served.paths['/jobs'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/JobSubmission' });
      expect(served.paths['/reports/{id}/result'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ActivityReport' });
    });

    it('declares no defaults on update bodies, and server settings as descriptions only', () => {
      for (const name of ['UpdateSchedule', 'UpdateWebhook']) {
        for (const property of Object.values<object>(served.components.schemas[name].properties)) expect(property).not.toHaveProperty('default');
      }
      const maxAttempts = served.components.schemas.SleepJobSubmission.properties.maxAttempts;
      expect(maxAttempts).not.toHaveProperty('default');
      expect(maxAttempts.description).toContain('JOB_MAX_ATTEMPTS');
    });

    it('documents the 303 with its Location and the body it sends, and Retry-After on 202', () => {
      const poll = served.paths['/jobs/{id}'].get.responses;
      expect(poll['303'].headers.Location.required).toBe(true);
      expect(poll['303'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Job' });
      expect(served.paths['/jobs'].post.responses['202'].headers['Retry-After'].schema.type).toBe('integer');
    });

    it('puts the webhook events in the webhooks section, with the Standard Webhooks headers', () => {
      expect(Object.keys(served.webhooks)).toEqual(['job.complete', 'job.failed', 'job.dead', 'job.cancelled', 'job.expired', 'webhook.test', 'queue.alert']);
      const names = served.webhooks['job.complete'].post.parameters.map((parameter: { name: string }) => parameter.name);
      expect(names).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'X-Signature']);
    });

    it('shares the OpenAPI schemas with the AsyncAPI document', async () => {
      const asyncApi = (await http(app.baseUrl, '/asyncapi.json')).body;
      expect(asyncApi.asyncapi).toBe('3.0.0');
      expect(Object.values(asyncApi.channels).map((channel: any) => channel.address)).toEqual(
        expect.arrayContaining(['report-jobs', 'report-jobs.DLT', '/jobs/{jobId}/progress']),
      );
      for (const name of ['SnapshotEventData', 'StatusEventData', 'WebhookEvent', 'SleepPayload', 'DeadJobRecord']) {
        expect(asyncApi.components.schemas[name]).toEqual(served.components.schemas[name]);
      }
    });
  });

  describe('Prefer (RFC 7240) on submissions', () => {
    it('wait=N: 200 with the finished job when it finishes in time, and Preference-Applied', async () => {
      const answer = await client.POST('/jobs', {
        body: { type: 'sleep', payload: { ms: 200, result: { quick: true } } },
        params: { header: { Prefer: 'wait=2' } },
      });
      expect(answer.response.status).toBe(200);
      expect(answer.response.headers.get('preference-applied')).toBe('wait=2');
      expect(answer.data).toMatchObject({ status: 'COMPLETED', resultUrl: `/jobs/${answer.data?.jobId}/result` });
      expect(answer.response.headers.get('content-location')).toBe(`/jobs/${answer.data?.jobId}`);
    });

    it('wait=N: 202 after N seconds when the job is still running', async () => {
      const started = Date.now();
      const answer = await client.POST('/jobs', { body: { type: 'sleep', payload: { ms: 10_000 } }, params: { header: { Prefer: 'wait=1' } } });
      expect(answer.response.status).toBe(202);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(answer.response.headers.get('preference-applied')).toBe('wait=1');
      expect(answer.data?.status).toBe('RUNNING');
      await client.POST('/jobs/{id}/cancel', { params: { path: { id: answer.data!.jobId } } });
    });

    it('caps the wait at PREFER_WAIT_MAX_SECONDS and says so', async () => {
      const started = Date.now();
      const answer = await client.POST('/jobs', { body: { type: 'sleep', payload: { ms: 20_000 } }, params: { header: { Prefer: 'wait=60' } } });
      const waited = Date.now() - started;
      expect(answer.response.status).toBe(202);
      expect(answer.response.headers.get('preference-applied')).toBe(`wait=${WAIT_CAP_SECONDS}`);
      expect(waited).toBeGreaterThanOrEqual(WAIT_CAP_SECONDS * 1000);
      expect(waited).toBeLessThan(WAIT_CAP_SECONDS * 1000 + 5000);
      await client.POST('/jobs/{id}/cancel', { params: { path: { id: answer.data!.jobId } } });
    });

    it('respond-async: 202 at once; a finished DEAD job is a 200 too; no Prefer: 202 as ever', async () => {
      const asynchronous = await client.POST('/jobs', { body: { type: 'sleep', payload: { ms: 100 } }, params: { header: { Prefer: 'respond-async' } } });
      expect(asynchronous.response.status).toBe(202);
      expect(asynchronous.response.headers.get('preference-applied')).toBe('respond-async');

      const dead = await client.POST('/jobs', { body: { type: 'sleep', maxAttempts: 1, payload: { failAttempts: 1 } }, params: { header: { Prefer: 'wait=2' } } });
      expect(dead.response.status).toBe(200);
      expect(dead.data).toMatchObject({ status: 'DEAD', resultUrl: null });

      const plain = await client.POST('/jobs', { body: { type: 'sleep' } });
      expect(plain.response.status).toBe(202);
      expect(plain.response.headers.get('preference-applied')).toBeNull();
      await waitForStatus(app.baseUrl, asynchronous.data!.jobId, ['COMPLETED']);
      await waitForStatus(app.baseUrl, plain.data!.jobId, ['COMPLETED']);
    });

    it('answers a repeated idempotent submission of a finished job at once, and POST /reports waits too', async () => {
      const headers = { 'Idempotency-Key': 'contract-prefer' };
      const id = await submitted(app.baseUrl, { type: 'sleep' }, headers);
      await waitForStatus(app.baseUrl, id, ['COMPLETED']);
      const again = await client.POST('/jobs', { body: { type: 'sleep' }, params: { header: { 'Idempotency-Key': 'contract-prefer', Prefer: 'wait=2' } } });
      expect(again.response.status).toBe(200);
      expect(again.data).toMatchObject({ jobId: id, status: 'COMPLETED' });

      const now = Date.now();
      const report = await client.POST('/reports', {
        body: { from: new Date(now - 60_000).toISOString(), to: new Date(now + 60_000).toISOString() },
        params: { header: { Prefer: 'wait=3' } },
      });
      expect(report.response.status).toBe(200);
      expect(report.data?.resultUrl).toBe(`/reports/${report.data?.jobId}/result`);
      const activity = await client.GET('/reports/{id}/result', { params: { path: { id: report.data!.jobId } } });
      expect(activity.data).toMatchObject({ groupBy: 'type' });
    });
  });

  it('polling: /status is always 200 with Retry-After while the job goes; GET /jobs/{id} turns 303 with the job as body', async () => {
    const accepted = await client.POST('/jobs', { body: { type: 'sleep', payload: { ms: 1500, steps: 3 } } });
    const id = accepted.data!.jobId;
    const running = await client.GET('/jobs/{id}/status', { params: { path: { id } } });
    expect(running.response.status).toBe(200);
    expect(running.response.headers.get('retry-after')).toBe('2');
    const done = await client.waitForJob(id, { pollIntervalMs: 100 });
    expect(done).toMatchObject({ status: 'COMPLETED', resultUrl: `/jobs/${id}/result`, error: null });
    const redirect = await http(app.baseUrl, `/jobs/${id}`);
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(`/jobs/${id}/result`);
    expect(redirect.body).toMatchObject({ jobId: id, status: 'COMPLETED' });
  });

  it('the shipped client: submitAndWait, and followJob typed by event until the job is finished', async () => {
    const finished = await client.submitAndWait({ type: 'sleep', payload: { ms: 300, steps: 3, result: { via: 'client' } } }, { waitSeconds: 3 });
    expect(finished).toMatchObject({ status: 'COMPLETED', result: { via: 'client' }, error: null });

    const accepted = await client.POST('/jobs', { body: { type: 'sleep', payload: { ms: 600, steps: 3 } } });
    const events: JobStreamEvent[] = [];
    for await (const event of client.followJob(accepted.data!.jobId)) events.push(event);
    expect(events[0].event).toBe('snapshot');
    const last = events.at(-1)!;
    expect(last.event === 'status' && last.data.to).toBe('COMPLETED');
  });

  it('PATCH changes only what it names', async () => {
    const created = await client.POST('/schedules', {
      body: {
        name: 'contract-partial',
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        enabled: false,
        misfirePolicy: 'skip',
        overlapPolicy: 'allow',
        job: { type: 'report', payload: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, priority: 5 },
      },
    });
    expect(created.response.status).toBe(201);
    const updated = await client.PATCH('/schedules/{id}', { params: { path: { id: created.data!.id } }, body: { cron: '0 4 * * *' } });
    expect(updated.data).toMatchObject({ cron: '0 4 * * *', timezone: 'Europe/Berlin', enabled: false, misfirePolicy: 'skip', overlapPolicy: 'allow', job: { priority: 5 } });
  });

  it('refuses ?status= on /admin/dlq, which lists DEAD jobs only', async () => {
    const answer = await http(app.baseUrl, '/admin/dlq?status=COMPLETED');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
  });
});
