import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, transitionsOf, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { KafkaProbe, distributedEnv, kafkaNames, keepLogs, type MessageLog } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

const DLT_CODE = 'x-dlt-code';
const DLT_REASON = 'x-dlt-reason';

/**
 * The database is the queue of record: a job whose dispatch never arrives, or waits behind a busy
 * member's long jobs, is claimed straight from PostgreSQL by an idle worker; a message the database
 * could never store goes to the DLT and the partition moves on.
 */
describe('Kafka dispatch under faults', () => {
  const names = kafkaNames();
  const probe = new KafkaProbe(names.brokers);
  let schema: TestSchema;
  let api: AppProcess;
  const workers: AppProcess[] = [];
  let log: MessageLog;

  beforeAll(async () => {
    schema = await createTestSchema('kafka_faults');
    // One partition: every dispatch lands on the one member that owns it.
    const env = distributedEnv(names, schema, {
      KAFKA_PARTITIONS: '1',
      WORKER_CONCURRENCY: '1',
      JOB_DISPATCH_TIMEOUT_MS: '1000',
      KAFKA_MAX_MESSAGE_BYTES: '4096',
      JOB_LEASE_MS: '3000',
    });
    api = await startApp({ ...env, APP_ROLE: 'api' });
    workers.push(await startApp({ ...env, APP_ROLE: 'worker' }), await startApp({ ...env, APP_ROLE: 'worker' }));
    // Both members in the group; one partition means one of them owns nothing and works only by rescue.
    await waitFor(
      async () => {
        const group = await probe.groupMembers(names.groupId);
        return group.state === 'Stable' && group.members.length === 2;
      },
      { timeoutMs: 60_000, what: 'both workers to join the group' },
    );
    log = await probe.record([names.deadLetterTopic]);
  }, 120_000);

  afterAll(async () => {
    keepLogs(`kafka-dispatch-faults-${names.topic}`, { api, worker1: workers[0], worker2: workers[1] });
    await probe.close();
    await Promise.allSettled([api?.stop(), ...workers.map((worker) => worker.stop())]);
    await schema?.drop();
  }, 60_000);

  const submit = async (payload: Record<string, unknown>): Promise<string> => {
    const answer = await http(api.baseUrl, '/jobs', { method: 'POST', json: { type: 'sleep', payload } });
    expect(answer.status).toBe(202);
    return answer.body.jobId as string;
  };
  const row = async (id: string) =>
    (await schema.query<{ status: string; locked_by: string | null; attempts: number }>(`SELECT status, locked_by, attempts FROM jobs WHERE id = $1`, [id]))[0];

  it('runs a QUEUED job whose dispatch was lost (never sent, topic reset, offsets skipped)', async () => {
    const jobId = randomUUID();
    // As if the outbox record had been lost: the row is QUEUED, Kafka never hears of it.
    await schema.query(
      `INSERT INTO jobs (id, type, payload, status, max_attempts, queued_at, tenant) VALUES ($1, 'sleep', '{"result":"found"}', 'QUEUED', 3, now(), 'default')`,
      [jobId],
    );
    await waitForStatus(api.baseUrl, jobId, ['COMPLETED'], 30_000);
    expect((await http(api.baseUrl, `/jobs/${jobId}/result`)).body).toBe('found');
    expect(await row(jobId)).toMatchObject({ attempts: 1 });
  });

  it('an idle member runs the jobs queued behind a busy member’s long job', async () => {
    const long = await submit({ ms: 8000, steps: 8 });
    const running = await waitFor(async () => {
      const job = await row(long);
      return job.status === 'RUNNING' ? job : false;
    }, { what: 'the long job to start' });

    // Their dispatches land on the partition of the member that is busy with the long job.
    const short = await Promise.all([submit({ ms: 50 }), submit({ ms: 50 }), submit({ ms: 50 })]);
    for (const id of short) await waitForStatus(api.baseUrl, id, ['COMPLETED'], 20_000);

    expect((await row(long)).status).toBe('RUNNING');
    for (const id of short) {
      const job = await row(id);
      expect(job.locked_by).not.toBe(running.locked_by);
      expect(await transitionsOf(schema, id)).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    }
    await waitForStatus(api.baseUrl, long, ['COMPLETED'], 30_000);
  }, 60_000);

  it('sends what the database could never store to the DLT with the reason, and the partition keeps flowing', async () => {
    const key = randomUUID();
    const poison = [
      { value: Buffer.from(`{"type":"sleep","payload":{"note":"a\\u0000b","n":"${randomUUID()}"}}`), code: 'UNSTORABLE_TEXT', reason: /payload\.note: contains a NUL/ },
      { value: Buffer.from(`{"type":"sleep","payload":{"note":"\\ud800","n":"${randomUUID()}"}}`), code: 'UNSTORABLE_TEXT', reason: /unpaired UTF-16 surrogate/ },
      { value: Buffer.concat([Buffer.from('{"type":"sleep","payload":{"n":"'), Buffer.from([0xc3, 0x28]), Buffer.from(`${randomUUID()}"}}`)]), code: 'NOT_UTF8', reason: /UTF-8/ },
      { value: Buffer.from(JSON.stringify({ type: 'sleep', payload: { pad: 'x'.repeat(5000), n: randomUUID() } })), code: 'TOO_LARGE', reason: /exceeds 4096/ },
    ];
    await probe.send(names.topic, poison.map((p) => ({ key, value: p.value })));
    const validId = randomUUID();
    await probe.send(names.topic, [{ key, value: JSON.stringify({ type: 'sleep', jobId: validId, payload: { result: 'after poison' } }) }]);

    await waitForStatus(api.baseUrl, validId, ['COMPLETED'], 30_000);
    for (const p of poison) {
      const dead = await log.waitFor(
        (m) => m.key === key && m.headers[DLT_CODE] === p.code && p.reason.test(m.headers[DLT_REASON] ?? ''),
        `the dead letter ${p.code} (${p.reason.source})`,
      );
      expect(dead.value?.length).toBeGreaterThan(0);
    }
    expect(await schema.query(`SELECT id FROM jobs WHERE payload ? 'note' OR payload ? 'pad'`)).toEqual([]);
  }, 60_000);
});
