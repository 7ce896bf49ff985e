import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { waitForStatus } from './support/http.js';
import { KafkaProbe, distributedEnv, kafkaNames } from './support/kafka.js';
import { API_KEYS, TENANT_A, as, keyedClient } from './support/security.js';
import { waitFor } from './support/wait-for.js';

interface DeadMessageView {
  id: string;
  origin: { topic: string; partition: number; offset: string };
  code: string;
  reason: string;
  tenant: string | null;
  key: string | null;
  value: string | null;
  valueBase64: string | null;
  headers: Record<string, string>;
  replayedAt: string | null;
  replayJobId: string | null;
  replayedBy: string | null;
}

/**
 * Kafka messages that never became jobs: besides their copy on the dead letter topic they are listed
 * under /admin/dlq/messages with reason, code and headers, and can be replayed — once — after a
 * correction, through the same checks as a message on the topic. Every change is audited.
 */
describe('dead-lettered Kafka messages', () => {
  const names = kafkaNames();
  const probe = new KafkaProbe(names.brokers);
  let schema: TestSchema;
  let app: AppProcess;

  const { call, ok } = keyedClient(() => app.baseUrl);
  const messages = async (query = '') => (await ok('admin', 'GET', `/admin/dlq/messages?${query}`)) as { items: DeadMessageView[]; nextCursor: string | null };

  beforeAll(async () => {
    schema = await createTestSchema('dead_messages');
    app = await startApp({ ...distributedEnv(names, schema, { KAFKA_PARTITIONS: '1' }), API_KEYS });
  }, 120_000);

  afterAll(async () => {
    await probe.close();
    await app?.stop();
    await schema?.drop();
  });

  it('lists each poison message with its reason, code, headers and origin, filtered and paged', async () => {
    const notUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    await probe.send(names.topic, [
      { key: 'k-json', value: '{not json', headers: { 'x-tenant': TENANT_A, 'x-trace': 'abc' } },
      { key: 'k-invalid', value: JSON.stringify({ payload: { ms: 1 } }), headers: { 'x-tenant': TENANT_A } },
      { key: 'k-bytes', value: notUtf8 },
    ]);
    const page = await waitFor(async () => {
      const listed = await messages();
      return listed.items.length >= 3 ? listed : false;
    }, { timeoutMs: 60_000, what: 'three dead messages listed' });

    const byKey = new Map(page.items.map((item) => [item.key, item]));
    expect(byKey.get('k-json')).toMatchObject({
      code: 'NOT_JSON',
      tenant: TENANT_A,
      value: '{not json',
      valueBase64: null,
      headers: { 'x-tenant': TENANT_A, 'x-trace': 'abc' },
      origin: { topic: names.topic, partition: 0 },
      replayedAt: null,
    });
    expect(byKey.get('k-invalid')).toMatchObject({ code: 'INVALID_MESSAGE', reason: expect.stringContaining('type') });
    expect(byKey.get('k-bytes')).toMatchObject({ code: 'NOT_UTF8', tenant: null, value: null, valueBase64: notUtf8.toString('base64') });

    expect((await messages('code=NOT_JSON')).items.map((item) => item.key)).toEqual(['k-json']);
    expect((await messages(`tenant=${TENANT_A}`)).items.map((item) => item.key).sort()).toEqual(['k-invalid', 'k-json']);
    const first = await messages('limit=2');
    const second = await messages(`limit=2&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((item) => item.id).sort()).toEqual(page.items.map((item) => item.id).sort());
    expect(second.nextCursor).toBeNull();
    expect((await ok('admin', 'GET', `/admin/dlq/messages/${byKey.get('k-json')!.id}`)).code).toBe('NOT_JSON');
  });

  it('replays a corrected message once: the job runs in its tenant, a second replay is 409, a still-broken one 400', async () => {
    const listed = await messages('code=INVALID_MESSAGE');
    const dead = listed.items[0];

    // Replayed as it was: still no type.
    const unchanged = await call('admin', 'POST', `/admin/dlq/messages/${dead.id}/replay`, {});
    expect(unchanged.status).toBe(400);
    expect(unchanged.headers.get('content-type')).toContain('application/problem+json');

    const replayed = await call('admin', 'POST', `/admin/dlq/messages/${dead.id}/replay`, { message: { type: 'sleep', payload: { ms: 10, result: { fixed: true } } } });
    expect(replayed.status).toBe(202);
    const jobId = replayed.body.jobId as string;
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 30_000, as('admin'));
    // The tenant its header named: that tenant's key sees the job, its result is the corrected payload's.
    expect((await ok('submitterA', 'GET', `/jobs/${jobId}/status`)).status).toBe('COMPLETED');
    expect(await ok('submitterA', 'GET', `/jobs/${jobId}/result`)).toEqual({ fixed: true });

    expect(await ok('admin', 'GET', `/admin/dlq/messages/${dead.id}`)).toMatchObject({ replayJobId: jobId, replayedBy: 'ops' });
    const again = await call('admin', 'POST', `/admin/dlq/messages/${dead.id}/replay`, { message: { type: 'sleep', payload: { ms: 10 } } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ replayJobId: jobId });
    expect((await messages('replayed=true')).items.map((item) => item.id)).toEqual([dead.id]);
  });

  it('two replays of one message at once make one job', async () => {
    const dead = (await messages('code=NOT_UTF8')).items[0];
    const correction = { message: { type: 'sleep', payload: { ms: 10 } }, tenant: TENANT_A };
    const answers = await Promise.all([1, 2, 3].map(() => call('admin', 'POST', `/admin/dlq/messages/${dead.id}/replay`, correction)));
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((answer) => answer.body.jobId)).size).toBe(1);
    for (const answer of answers) expect([202, 409]).toContain(answer.status);
    const jobs = await schema.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE idempotency_key = $1`, [`dead-message:${dead.id}`]);
    expect(jobs[0].n).toBe(1);
  });

  it('purges a record (audited), answers 404 for unknown ids, and is for admins only', async () => {
    const dead = (await messages('code=NOT_JSON')).items[0];
    expect((await call('submitterA', 'GET', '/admin/dlq/messages')).status).toBe(403);
    expect((await call('submitterA', 'POST', `/admin/dlq/messages/${dead.id}/replay`, {})).status).toBe(403);
    expect((await call('admin', 'DELETE', `/admin/dlq/messages/${dead.id}`)).status).toBe(204);
    expect((await call('admin', 'GET', `/admin/dlq/messages/${dead.id}`)).status).toBe(404);
    expect((await call('admin', 'DELETE', `/admin/dlq/messages/${dead.id}`)).status).toBe(404);
    expect((await call('admin', 'GET', `/admin/dlq/messages/${randomUUID()}`)).status).toBe(404);
    expect((await call('admin', 'GET', '/admin/dlq/messages/not-a-uuid')).status).toBe(404);

    const audit = (await ok('admin', 'GET', '/admin/audit?action=dlq.message.purge')) as { items: Array<{ target: string; actor: string }> };
    expect(audit.items).toEqual([expect.objectContaining({ target: dead.id, actor: 'ops' })]);
    const replays = (await ok('admin', 'GET', '/admin/audit?action=dlq.message.replay')) as { items: unknown[] };
    expect(replays.items.length).toBeGreaterThanOrEqual(2);
  });
});
