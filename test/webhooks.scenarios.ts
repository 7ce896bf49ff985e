import { randomBytes } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { http, waitForStatus } from './support/http.js';
import { waitFor } from './support/wait-for.js';
import {
  Receiver,
  WebhookFixtures,
  deliveriesOf,
  sendTest,
  submitJob,
  uniquePath,
  verifyStandard,
  waitForDelivery,
  xSignatureMatches,
  type AttemptView,
  type DeliveryView,
  type Hit,
  type WebhookBody,
  type WebhookView,
} from './webhooks.support.js';

export interface WebhookProfile {
  name: string;
  /** Extra environment for one app (REDIS_URL and a fresh Bull queue prefix); called once per app. */
  env(): Record<string, string>;
}

const CALLBACK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** Small schedules so retries happen within a test: 200 ms then 400 ms, three attempts, no jitter. */
function appEnv(profile: WebhookProfile, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_BACKOFF_MS: '200,400',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_JITTER: '0',
    WEBHOOK_DISABLE_AFTER_FAILURES: '3',
    WEBHOOK_CALLBACK_SECRET: CALLBACK_SECRET,
    RETRY_BASE_DELAY_MS: '100',
    ...profile.env(),
    ...overrides,
  };
}

/** Arrival times of the given hits (which must exist). */
function at(hits: Hit[], ...indexes: number[]): number[] {
  return indexes.map((index) => {
    const hit = hits[index];
    if (!hit) throw new Error(`expected a hit #${index + 1}, got ${hits.length}`);
    return hit.at;
  });
}

function byMessage(hits: Hit[], messageId: string): Hit[] {
  return hits.filter((hit) => hit.headers['webhook-id'] === messageId);
}

/** The same behaviour, checked on each delivery queue adapter. */
export function describeWebhookScenarios(profile: WebhookProfile): void {
  describe(`webhooks on the ${profile.name} delivery queue`, () => {
    let app: AppProcess;
    let receiver: Receiver;
    let outsider: Receiver;
    const webhooks = new WebhookFixtures(() => app);

    beforeAll(async () => {
      receiver = await Receiver.start('127.0.0.1');
      // 127.0.0.2 is loopback too, but left out of WEBHOOK_ALLOWED_HOSTS: nothing may ever reach it.
      outsider = await Receiver.start('127.0.0.2');
      app = await startApp(appEnv(profile));
    });

    afterEach(async () => {
      await webhooks.cleanUp();
    });

    afterAll(async () => {
      await app?.stop();
      await receiver?.close();
      await outsider?.close();
    });

    it('accepts the seed’s exact POST /webhooks {url, events: ["job.complete"]} and delivers a verifiable job.complete', async () => {
      const path = uniquePath('seed');
      const created = await http<WebhookView & { secret: string }>(app.baseUrl, '/webhooks', {
        method: 'POST',
        json: { url: receiver.url(path), events: ['job.complete'] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ url: receiver.url(path), events: ['job.complete'], enabled: true, description: null });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const { id, secret } = created.body;
      webhooks.track(id);

      const shown = await http(app.baseUrl, `/webhooks/${id}`);
      expect(shown.status).toBe(200);
      expect(shown.body).not.toHaveProperty('secret');

      // One failed attempt first: job.failed happens but this subscription did not ask for it.
      const jobId = await submitJob(app, { type: 'sleep', payload: { ms: 0, failAttempts: 1, result: { answer: 42 } } });
      await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
      const hit = await waitFor(() => receiver.on(path).find((candidate) => candidate.json?.data.jobId === jobId), {
        what: 'job.complete delivery',
      });

      expect(hit.json).toEqual({
        id: hit.headers['webhook-id'],
        type: 'job.complete',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        data: { jobId, status: 'COMPLETED', resultUrl: `/jobs/${jobId}/result` },
      });
      expect(hit.headers['webhook-id']).toMatch(/^msg_/);
      expect(Math.abs(Number(hit.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(verifyStandard(secret, hit)).toEqual(hit.json);
      expect(xSignatureMatches(secret, hit)).toBe(true);
      expect(String(hit.headers['x-signature'])).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(() => verifyStandard(`whsec_${randomBytes(32).toString('base64')}`, hit)).toThrow();
      expect(receiver.on(path).filter((candidate) => candidate.json?.data.jobId === jobId).map((candidate) => candidate.json?.type)).toEqual(['job.complete']);

      const delivery = await waitForDelivery(app, id, (item) => item.jobId === jobId && item.status === 'delivered', 'the delivery log');
      expect(delivery).toMatchObject({ messageId: hit.headers['webhook-id'], event: 'job.complete', attemptCount: 1, lastStatusCode: 200 });
      expect(delivery.attempts).toEqual([
        expect.objectContaining({ attempt: 1, round: 1, statusCode: 200, outcome: 'delivered', error: null }),
      ]);
      expect(delivery.attempts[0].latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('delivers job.failed, job.dead and job.cancelled, and a job’s callbackUrl gets its own events signed with WEBHOOK_CALLBACK_SECRET', async () => {
      const path = uniquePath('all');
      const callbackPath = uniquePath('callback');
      const { secret } = await webhooks.create({ url: receiver.url(path), events: ['job.failed', 'job.dead', 'job.cancelled', 'job.complete'] });

      const dying = await submitJob(app, { type: 'sleep', maxAttempts: 2, payload: { failAttempts: 5 }, callbackUrl: receiver.url(callbackPath) });
      await waitForStatus(app.baseUrl, dying, ['DEAD']);
      const delayed = await submitJob(app, { type: 'sleep', delaySeconds: 3600, payload: {} });
      expect((await http(app.baseUrl, `/jobs/${delayed}/cancel`, { method: 'POST' })).status).toBe(200);

      const types = (jobId: string, hits: Hit[]) => hits.filter((hit) => hit.json?.data.jobId === jobId).map((hit) => (hit.json as WebhookBody).type);
      await waitFor(() => types(dying, receiver.on(path)).length === 2 && types(delayed, receiver.on(path)).length === 1, {
        what: () => `three events, got ${JSON.stringify(receiver.on(path).map((hit) => hit.json?.type))}`,
      });
      expect(types(dying, receiver.on(path))).toEqual(['job.failed', 'job.dead']);
      expect(types(delayed, receiver.on(path))).toEqual(['job.cancelled']);
      for (const hit of receiver.on(path)) expect(verifyStandard(secret, hit)).toEqual(hit.json);

      const dead = receiver.on(path).find((hit) => hit.json?.type === 'job.dead');
      expect(dead?.json?.data).toEqual({
        jobId: dying,
        status: 'DEAD',
        resultUrl: null,
        error: expect.objectContaining({ message: 'planned failure 2 of 5', attempt: 2 }),
      });
      const cancelled = receiver.on(path).find((hit) => hit.json?.type === 'job.cancelled');
      expect(cancelled?.json?.data).toMatchObject({ jobId: delayed, status: 'CANCELLED', resultUrl: null });

      await waitFor(() => receiver.on(callbackPath).length === 2, { what: 'two callbackUrl deliveries' });
      expect(receiver.on(callbackPath).map((hit) => hit.json?.type)).toEqual(['job.failed', 'job.dead']);
      for (const hit of receiver.on(callbackPath)) {
        expect(verifyStandard(CALLBACK_SECRET, hit)).toEqual(hit.json);
        expect(xSignatureMatches(CALLBACK_SECRET, hit)).toBe(true);
      }
      // The same event reaches both endpoints under the same webhook-id.
      const deadToCallback = receiver.on(callbackPath).find((hit) => hit.json?.type === 'job.dead');
      expect(deadToCallback?.headers['webhook-id']).toBe(dead?.headers['webhook-id']);

      const jobLog = await http<{ items: DeliveryView[] }>(app.baseUrl, `/webhooks/deliveries?jobId=${dying}`);
      expect(jobLog.status).toBe(200);
      expect(jobLog.body.items.map((item: DeliveryView) => [item.event, item.webhookId === null ? 'callback' : 'subscription']).sort()).toEqual([
        ['job.dead', 'callback'],
        ['job.dead', 'subscription'],
        ['job.failed', 'callback'],
        ['job.failed', 'subscription'],
      ]);
    });

    it('retries a receiver failing twice with 500: three attempts, the same webhook-id, growing gaps', async () => {
      const path = uniquePath('flaky');
      receiver.plan(path, { status: 500, body: 'oops 1' }, { status: 500, body: 'oops 2' });
      const { id, secret } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
      const queued = await sendTest(app, id);

      const delivery = await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'delivered', 'delivered after retries');
      const hits = byMessage(receiver.on(path), queued.messageId);
      expect(hits).toHaveLength(3);
      expect(new Set(hits.map((hit) => hit.headers['webhook-id']))).toEqual(new Set([queued.messageId]));
      for (const hit of hits) expect(verifyStandard(secret, hit)).toEqual(hit.json);
      const [first, second, third] = at(hits, 0, 1, 2);
      const gap1 = second - first;
      const gap2 = third - second;
      expect(gap1).toBeGreaterThanOrEqual(190);
      expect(gap2).toBeGreaterThanOrEqual(390);
      expect(gap2).toBeGreaterThan(gap1);

      expect(delivery.attemptCount).toBe(3);
      expect(delivery.attempts.map((attempt: AttemptView) => [attempt.attempt, attempt.statusCode, attempt.outcome])).toEqual([
        [1, 500, 'retry'],
        [2, 500, 'retry'],
        [3, 200, 'delivered'],
      ]);
      expect(delivery.attempts[0].error).toBe('HTTP 500');
      expect(delivery.attempts[0].retryAt).not.toBeNull();
    });

    it('gives up after the last attempt and the message can be redelivered under the same webhook-id', async () => {
      const path = uniquePath('down');
      receiver.plan(path, { status: 503 }, { status: 503 }, { status: 503 });
      const { id } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
      const queued = await sendTest(app, id);
      const failed = await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'failed', 'failed delivery');
      expect(failed.attemptCount).toBe(3);
      expect(failed.lastError).toBe('HTTP 503; gave up after 3 attempts');

      const again = await http(app.baseUrl, `/webhooks/deliveries/${queued.id}/redeliver`, { method: 'POST' });
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ id: queued.id, messageId: queued.messageId, status: 'pending' });
      const delivered = await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'delivered', 'redelivered');
      expect(delivered.attempts.map((attempt: AttemptView) => [attempt.round, attempt.statusCode])).toEqual([
        [1, 503],
        [1, 503],
        [1, 503],
        [2, 200],
      ]);
      expect(byMessage(receiver.on(path), queued.messageId)).toHaveLength(4);

      expect((await http(app.baseUrl, `/webhooks/deliveries/${queued.id}/redeliver`, { method: 'POST' })).status).toBe(202);
      await waitFor(() => byMessage(receiver.on(path), queued.messageId).length === 5, { what: 'second redelivery' });
      const missing = await http(app.baseUrl, '/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver', { method: 'POST' });
      expect(missing.status).toBe(404);
      expect(missing.body.type).toBe('https://longhaul.dev/problems/webhook-delivery-not-found');
    });

    it('disables the subscription when the receiver answers 410 Gone', async () => {
      const path = uniquePath('gone');
      receiver.plan(path, { status: 410 });
      const { id } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
      const queued = await sendTest(app, id);
      const failed = await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'failed', '410 failure');
      expect(failed.attempts).toHaveLength(1);
      expect(failed.attempts[0]).toMatchObject({ statusCode: 410, outcome: 'failed' });

      const shown = await http(app.baseUrl, `/webhooks/${id}`);
      expect(shown.body).toMatchObject({ enabled: false, disabledReason: 'the receiver answered 410 Gone' });
      expect(shown.body.disabledAt).not.toBeNull();
      expect(app.logs()).toContain('webhook subscription disabled');
      expect((await http(app.baseUrl, '/metrics')).text).toMatch(/^longhaul_webhook_subscriptions_disabled_total\{reason="gone"\} [1-9]/m);

      // A disabled subscription gets no job events.
      const jobId = await submitJob(app, { type: 'sleep', payload: {} });
      await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
      const other = await webhooks.create({ url: receiver.url(uniquePath('witness')), events: ['job.complete'] });
      const witnessJob = await submitJob(app, { type: 'sleep', payload: {} });
      await waitForDelivery(app, other.id, (item) => item.jobId === witnessJob && item.status === 'delivered', 'witness delivery');
      expect((await deliveriesOf(app, id)).map((item) => item.event)).toEqual(['webhook.test']);
      expect(receiver.on(path)).toHaveLength(1);

      const redeliver = await http(app.baseUrl, `/webhooks/deliveries/${queued.id}/redeliver`, { method: 'POST' });
      expect(redeliver.status).toBe(409);
      expect(redeliver.body.type).toBe('https://longhaul.dev/problems/webhook-disabled');

      const enabled = await http(app.baseUrl, `/webhooks/${id}`, { method: 'PATCH', json: { enabled: true } });
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 });
    });

    it('honours Retry-After on 429', async () => {
      const path = uniquePath('busy');
      receiver.plan(path, { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' });
      const { id } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
      const queued = await sendTest(app, id);
      const delivery = await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'delivered', 'delivered after 429');
      const [first, second] = at(byMessage(receiver.on(path), queued.messageId), 0, 1);
      expect(second - first).toBeGreaterThanOrEqual(1000);
      expect(delivery.attempts.map((attempt: AttemptView) => attempt.statusCode)).toEqual([429, 200]);
      expect(delivery.attempts[0]).not.toHaveProperty('responseExcerpt'); // the receiver's reply is never kept
    });

    it('does not follow redirects: a 302 is a failed delivery and its Location is never requested', async () => {
      const path = uniquePath('moved');
      const target = uniquePath('target');
      receiver.plan(path, { status: 302, headers: { location: receiver.url(target) } });
      const { id } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
      const queued = await sendTest(app, id);
      const failed = await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'failed', 'redirect failure');
      expect(failed.attempts).toHaveLength(1);
      expect(failed.attempts[0]).toMatchObject({ statusCode: 302, outcome: 'failed' });
      expect(failed.lastError).toContain('not followed');
      expect(receiver.on(target)).toHaveLength(0);
    });

    it('signs with both secrets during a rotation, then only with the new one', async () => {
      const path = uniquePath('rotate');
      const { id, secret: oldSecret } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'], description: 'rotation' });

      const rotated = await http(app.baseUrl, `/webhooks/${id}/rotate-secret`, { method: 'POST', json: { overlapSeconds: 3600 } });
      expect(rotated.status).toBe(200);
      const newSecret: string = rotated.body.secret;
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(oldSecret);
      expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500_000);

      const during = await sendTest(app, id);
      const duringHit = await waitFor(() => byMessage(receiver.on(path), during.messageId)[0], { what: 'delivery during the overlap' });
      expect(String(duringHit.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verifyStandard(newSecret, duringHit)).toEqual(duringHit.json);
      expect(verifyStandard(oldSecret, duringHit)).toEqual(duringHit.json);
      expect(xSignatureMatches(newSecret, duringHit)).toBe(true);
      expect(xSignatureMatches(oldSecret, duringHit)).toBe(true);

      const again = await http(app.baseUrl, `/webhooks/${id}/rotate-secret`, { method: 'POST', json: { overlapSeconds: 0 } });
      const newest: string = again.body.secret;
      expect(again.body.previousSecretExpiresAt).toBeNull();
      const after = await sendTest(app, id);
      const afterHit = await waitFor(() => byMessage(receiver.on(path), after.messageId)[0], { what: 'delivery after the overlap' });
      expect(verifyStandard(newest, afterHit)).toEqual(afterHit.json);
      expect(() => verifyStandard(newSecret, afterHit)).toThrow();
      expect(() => verifyStandard(oldSecret, afterHit)).toThrow();
      expect(xSignatureMatches(newSecret, afterHit)).toBe(false);
    });

    it('refuses private and loopback URLs without the allow-list, at registration and at delivery', async () => {
      const refused = [
        outsider.url('/nope'),
        'http://10.0.0.1/hook',
        'http://192.168.1.10/hook',
        'http://172.16.5.4/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://100.100.100.200/',
        'http://0.0.0.0:8080/',
        'http://[::1]:8080/',
        'http://[fd00::1]/',
        'http://[fe80::1]/',
        'http://[::ffff:10.0.0.1]/',
      ];
      for (const url of refused) {
        const answer = await http(app.baseUrl, '/webhooks', { method: 'POST', json: { url, events: ['job.complete'] } });
        expect({ url, status: answer.status, type: answer.body.type }).toEqual({
          url,
          status: 422,
          type: 'https://longhaul.dev/problems/webhook-url-refused',
        });
      }
      // Shapes the request validator already rejects: 400 naming the url field.
      for (const url of ['ftp://example.com/x', 'http://2130706433/', 'http://0x7f.0.0.2/', 'file:///etc/passwd']) {
        const answer = await http<{ errors?: Array<{ field: string }> }>(app.baseUrl, '/webhooks', { method: 'POST', json: { url, events: ['job.complete'] } });
        expect({ url, status: answer.status, fields: answer.body.errors?.map((error: { field: string }) => error.field) }).toEqual({ url, status: 400, fields: ['url'] });
      }

      const { id } = await webhooks.create({ url: receiver.url(uniquePath('fine')), events: ['job.complete'] });
      const patched = await http(app.baseUrl, `/webhooks/${id}`, { method: 'PATCH', json: { url: 'http://10.1.2.3/' } });
      expect(patched.status).toBe(422);

      // A job's callbackUrl is a registration too: refused at submission, before any job exists.
      const refusedJob = await http(app.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', callbackUrl: outsider.url('/callback') } });
      expect(refusedJob.status).toBe(422);
      expect(refusedJob.body.type).toBe('https://longhaul.dev/problems/webhook-url-refused');
      expect(refusedJob.body.detail).toContain('127.0.0.2 is a loopback address');
      const listed = await http<{ items: Array<{ callbackUrl: string | null }> }>(app.baseUrl, '/jobs?type=sleep&limit=200');
      expect(listed.body.items.some((job) => job.callbackUrl === outsider.url('/callback'))).toBe(false);
      expect(outsider.hits).toHaveLength(0);
    });

    it('disables a subscription after N consecutive failed messages (WEBHOOK_DISABLE_AFTER_FAILURES=3)', async () => {
      const path = uniquePath('broken');
      receiver.plan(path, { status: 404 }, { status: 404 }, { status: 404 });
      const { id } = await webhooks.create({ url: receiver.url(path), events: ['job.complete'] });
      for (let n = 1; n <= 3; n++) {
        const queued = await sendTest(app, id);
        await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'failed', `failure ${n}`);
        // The streak is written just after the attempt's outcome (its own statement): poll for it.
        const shown = await waitFor(
          async () => {
            const answer = await http(app.baseUrl, `/webhooks/${id}`);
            return answer.body.consecutiveFailures === n ? answer : false;
          },
          { what: `a failure streak of ${n}` },
        );
        expect(shown.body).toMatchObject({ consecutiveFailures: n, enabled: n < 3 });
      }
      const shown = await http(app.baseUrl, `/webhooks/${id}`);
      expect(shown.body.disabledReason).toBe('3 consecutive messages failed');
      expect(receiver.on(path)).toHaveLength(3);
    });

    it('manages subscriptions: list, read, change, delete; bad input is a problem naming the field', async () => {
      const first = await webhooks.create({ url: receiver.url(uniquePath('crud')), events: ['job.complete'] });
      const second = await webhooks.create({ url: receiver.url(uniquePath('crud')), events: ['job.dead'], description: 'second' });

      const page1 = await http<{ items: WebhookView[]; nextCursor: string }>(app.baseUrl, '/webhooks?limit=1');
      expect(page1.status).toBe(200);
      expect(page1.body.items.map((item) => item.id)).toEqual([second.id]);
      const page2 = await http<{ items: WebhookView[] }>(app.baseUrl, `/webhooks?limit=1&cursor=${page1.body.nextCursor}`);
      expect(page2.body.items.map((item) => item.id)).toEqual([first.id]);
      for (const item of [...page1.body.items, ...page2.body.items]) expect(item).not.toHaveProperty('secret');

      const patched = await http(app.baseUrl, `/webhooks/${first.id}`, {
        method: 'PATCH',
        json: { events: ['job.complete', 'job.failed'], description: 'changed' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ events: ['job.complete', 'job.failed'], description: 'changed', url: first.body.url });

      expect((await http(app.baseUrl, `/webhooks/${first.id}`, { method: 'DELETE' })).status).toBe(204);
      const gone = await http(app.baseUrl, `/webhooks/${first.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.type).toBe('https://longhaul.dev/problems/webhook-not-found');
      expect((await http(app.baseUrl, '/webhooks/not-a-uuid')).status).toBe(404);

      const badEvent = await http<{ errors: Array<{ field: string }> }>(app.baseUrl, '/webhooks', { method: 'POST', json: { url: receiver.url('/x'), events: ['job.completed'] } });
      expect(badEvent.status).toBe(400);
      expect(badEvent.body.errors.map((error: { field: string }) => error.field)).toContain('events');
      const noEvents = await http(app.baseUrl, '/webhooks', { method: 'POST', json: { url: receiver.url('/x'), events: [] } });
      expect(noEvents.status).toBe(400);
      const badSecret = await http<{ errors: Array<{ field: string }> }>(app.baseUrl, '/webhooks', { method: 'POST', json: { url: receiver.url('/x'), events: ['job.dead'], secret: 'whsec_abc' } });
      expect(badSecret.status).toBe(400);
      expect(badSecret.body.errors.map((error: { field: string }) => error.field)).toEqual(['secret']);
      const ownSecret = `whsec_${randomBytes(24).toString('base64')}`;
      const own = await webhooks.create({ url: receiver.url(uniquePath('own')), events: ['job.dead'], secret: ownSecret });
      expect(own.secret).toBe(ownSecret);
      const badQuery = await http(app.baseUrl, `/webhooks/${second.id}/deliveries?status=lost`);
      expect(badQuery.status).toBe(400);
    });
  });

  describe(`webhook retries across a restart on the ${profile.name} delivery queue`, () => {
    let receiver: Receiver;
    let app: AppProcess | undefined;

    beforeAll(async () => {
      receiver = await Receiver.start('127.0.0.1');
    });

    afterAll(async () => {
      await app?.stop();
      await receiver?.close();
    });

    it('delivers after the restart a message whose retry was pending when the app stopped', async () => {
      const env = appEnv(profile, { WEBHOOK_BACKOFF_MS: '3000', WEBHOOK_MAX_ATTEMPTS: '3' });
      app = await startApp(env);
      const path = uniquePath('restart');
      receiver.plan(path, { status: 500, body: 'down for maintenance' });
      const created = await http<WebhookView & { secret: string }>(app.baseUrl, '/webhooks', {
        method: 'POST',
        json: { url: receiver.url(path), events: ['job.complete'] },
      });
      const { id, secret } = created.body;
      const queued = await sendTest(app, id);
      await waitFor(() => receiver.on(path).length === 1, { what: 'the first (failing) attempt' });

      const dataDir = app.dataDir;
      expect(await app.stop()).toBe(0);
      const restartedAt = Date.now();
      app = await startApp({ ...env, DATA_DIR: dataDir });

      const delivered = await waitForDelivery(app, id, (item) => item.id === queued.id && item.status === 'delivered', 'delivery after restart');
      const hits = byMessage(receiver.on(path), queued.messageId);
      expect(hits).toHaveLength(2);
      const [, afterRestart] = hits as [Hit, Hit];
      expect(afterRestart.at).toBeGreaterThanOrEqual(restartedAt);
      expect(verifyStandard(secret, afterRestart)).toEqual(afterRestart.json);
      expect(delivered.attempts.map((attempt: AttemptView) => [attempt.statusCode, attempt.outcome])).toEqual([
        [500, 'retry'],
        [200, 'delivered'],
      ]);
    });
  });
}
