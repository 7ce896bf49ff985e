import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { KafkaProbe, distributedEnv, kafkaNames, type MessageLog } from './support/kafka.js';
import { API_KEYS, KEYS, TENANT_B, as, leakedSecrets } from './support/security.js';

const DEFAULT_TENANT = 'kafka-default';

/** Jobs produced straight to Kafka belong to the tenant in their x-tenant header, validated, or to the configured default. */
describe('tenants of Kafka-submitted jobs', () => {
  const names = kafkaNames();
  const probe = new KafkaProbe();
  let schema: TestSchema;
  let app: AppProcess;
  let log: MessageLog;

  beforeAll(async () => {
    schema = await createTestSchema('sec_kafka');
    app = await startApp(distributedEnv(names, schema, { API_KEYS, KAFKA_DEFAULT_TENANT: DEFAULT_TENANT, DAILY_REPORT_ENABLED: 'false' }));
    log = await probe.record([names.deadLetterTopic]);
  }, 90_000);

  afterAll(async () => {
    await probe.close();
    await app?.stop();
    await schema?.drop();
  });

  const produce = async (headers: Record<string, string>) => {
    const jobId = randomUUID();
    await probe.send(names.topic, [{ key: jobId, value: JSON.stringify({ type: 'sleep', jobId, payload: { ms: 1 } }), headers }]);
    return jobId;
  };

  it('puts a job in the tenant its header names; other tenants cannot see it', async () => {
    const jobId = await produce({ 'x-tenant': TENANT_B });
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 30_000, as('submitterB'));
    expect((await http(app.baseUrl, `/jobs/${jobId}`, { headers: as('admin') })).body.tenant).toBe(TENANT_B);
    expect((await http(app.baseUrl, `/jobs/${jobId}/status`, { headers: as('submitterA') })).status).toBe(404);
  });

  it('puts a job without the header in the configured default tenant', async () => {
    const jobId = await produce({});
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 30_000, as('admin'));
    expect((await http(app.baseUrl, `/jobs/${jobId}`, { headers: as('admin') })).body.tenant).toBe(DEFAULT_TENANT);
  });

  it('refuses an invalid tenant header: the message goes to the DLT with the reason, no job is made', async () => {
    const jobId = await produce({ 'x-tenant': '*' });
    const dead = await log.waitFor((message) => message.key === jobId, 'the refused message on the DLT');
    expect(dead.headers['x-dlt-code']).toBe('invalid-tenant-header');
    expect(dead.headers['x-dlt-reason']).toContain('x-tenant');
    expect((await http(app.baseUrl, `/jobs/${jobId}/status`, { headers: as('admin') })).status).toBe(404);
  });

  it('wrote no API key to the log', () => {
    expect(leakedSecrets(app.logs(), Object.values(KEYS))).toEqual([]);
  });
});
