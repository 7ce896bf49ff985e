import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, transitionsOf, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import {
  KafkaProbe,
  distributedEnv,
  jsonValue,
  kafkaNames,
  keepLogs,
  type MessageLog,
  type RecordedMessage,
} from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

/** Headers the consumer puts on dead letter records (src/queue/kafka/dead-letter-headers.ts). */
/** The parts of a record value the assertions read. */
interface MessageValue {
  jobId?: string;
  idempotencyKey?: string;
  payload?: { result?: { marker?: string } };
}

const DLT = {
  reason: 'x-dlt-reason',
  code: 'x-dlt-code',
  attempts: 'x-dlt-attempts',
  jobId: 'x-dlt-job-id',
  topic: 'x-dlt-original-topic',
  partition: 'x-dlt-original-partition',
  offset: 'x-dlt-original-offset',
};

describe('Kafka transport on the distributed profile (real broker, PostgreSQL, Redis)', () => {
  const names = kafkaNames();
  const probe = new KafkaProbe(names.brokers);
  let schema: TestSchema;
  let app: AppProcess;
  /** Every record of the jobs topic and its dead letter topic. */
  let log: MessageLog;

  const onTopic = (key: string) => (m: RecordedMessage) => m.topic === names.topic && m.key === key;
  const deadLetterOf = (original: RecordedMessage) => (m: RecordedMessage) =>
    m.topic === names.deadLetterTopic &&
    m.headers[DLT.partition] === String(original.partition) &&
    m.headers[DLT.offset] === original.offset;
  const jobsWithMarker = (marker: string) =>
    schema.query<{ id: string; status: string; idempotency_key: string | null; owner: string }>(
      `SELECT id, status, idempotency_key, owner FROM jobs WHERE payload -> 'result' ->> 'marker' = $1`,
      [marker],
    );

  /** Sends `not JSON` with `key` and waits for its dead letter: everything sent before it on that partition was handled. */
  async function barrier(key: string): Promise<void> {
    const value = `barrier ${randomUUID()}`;
    await probe.send(names.topic, [{ key, value }]);
    const sent = await log.waitFor(
      (m) => m.topic === names.topic && m.value === value,
      'the barrier message',
    );
    await log.waitFor(deadLetterOf(sent), 'the barrier dead letter');
  }

  beforeAll(async () => {
    schema = await createTestSchema('kafka_transport');
    app = await startApp(distributedEnv(names, schema, { JOB_LEASE_MS: '3000' }));
    log = await probe.record([names.topic, names.deadLetterTopic]);
  }, 90_000);

  afterAll(async () => {
    keepLogs(`kafka-transport-${names.topic}`, { app });
    await probe.close();
    await app?.stop();
    await schema?.drop();
  });

  it('runs HTTP submit → outbox → Kafka → worker → 303 → result', async () => {
    const submitted = await http(app.baseUrl, '/jobs', {
      method: 'POST',
      json: { type: 'sleep', payload: { ms: 50, result: { answer: 42 } } },
    });
    expect(submitted.status).toBe(202);
    const { jobId } = submitted.body;

    const dispatched = await log.waitFor(onTopic(jobId), 'the dispatch record of the job');
    expect(jsonValue(dispatched)).toEqual({ jobId, type: 'sleep' });

    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    const polled = await http(app.baseUrl, `/jobs/${jobId}`);
    expect(polled.status).toBe(303);
    expect(polled.headers.get('location')).toBe(`/jobs/${jobId}/result`);
    const result = await http(app.baseUrl, `/jobs/${jobId}/result`);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ answer: 42 });

    const outbox = await schema.query<{ sent: boolean }>(
      `SELECT sent_at IS NOT NULL AS sent FROM job_outbox WHERE message_key = $1`,
      [jobId],
    );
    expect(outbox).toEqual([{ sent: true }]);
  });

  it('runs POST /reports through Kafka and redirects to the report', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const submitted = await http(app.baseUrl, '/reports', { method: 'POST', json: { from, to } });
    expect(submitted.status).toBe(202);
    const { jobId } = submitted.body;
    expect(submitted.headers.get('location')).toBe(`/reports/${jobId}`);
    expect(jsonValue(await log.waitFor(onTopic(jobId), 'the report dispatch'))).toEqual({
      jobId,
      type: 'report',
    });

    const redirected = await waitFor(
      async () => {
        const polled = await http(app.baseUrl, `/reports/${jobId}`);
        return polled.status === 303 ? polled : false;
      },
      { what: `report ${jobId} to finish` },
    );
    expect(redirected.headers.get('location')).toBe(`/reports/${jobId}/result`);
    const report = await http(app.baseUrl, `/reports/${jobId}/result`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ groupBy: 'type', groups: expect.any(Array) });
    expect(report.body.totals.total).toBeGreaterThanOrEqual(1);
  });

  it('runs a job produced straight to the topic by a plain Kafka client', async () => {
    const marker = randomUUID();
    await probe.send(names.topic, [
      {
        key: marker,
        value: JSON.stringify({ type: 'sleep', payload: { ms: 10, result: { marker } } }),
      },
    ]);

    const [job] = await waitFor(
      async () => {
        const rows = await jobsWithMarker(marker);
        return rows[0]?.status === 'COMPLETED' ? rows : false;
      },
      { what: `the job of message ${marker} to complete` },
    );
    expect(job.owner).toBe('kafka');
    // Without jobId or idempotencyKey, the message's coordinates are the key: a redelivery finds the same job.
    const original = await log.waitFor(onTopic(marker), 'the produced message');
    expect(job.idempotency_key).toBe(
      `kafka:${names.topic}:${original.partition}:${original.offset}`,
    );

    const result = await http(app.baseUrl, `/jobs/${job.id}/result`);
    expect(result.body).toEqual({ marker });
  });

  it('makes a message carrying a producer-chosen jobId that very job', async () => {
    const jobId = randomUUID();
    await probe.send(names.topic, [
      {
        key: jobId,
        value: JSON.stringify({
          type: 'sleep',
          jobId,
          maxAttempts: 2,
          payload: { result: { jobId } },
        }),
      },
    ]);

    const polled = await waitFor(
      async () => {
        const answer = await http(app.baseUrl, `/jobs/${jobId}`);
        return answer.status === 303 ? answer : false;
      },
      { what: `GET /jobs/${jobId} to answer 303` },
    );
    expect(polled.body).toMatchObject({
      jobId,
      type: 'sleep',
      status: 'COMPLETED',
      maxAttempts: 2,
      attempts: 1,
    });
    expect((await http(app.baseUrl, `/jobs/${jobId}/result`)).body).toEqual({ jobId });
  });

  it('carries notify and time limits on a message like on POST /jobs, and dead-letters a bad address', async () => {
    const jobId = randomUUID();
    const notify = { email: ['ops@example.test'], events: ['job.complete'] };
    await probe.send(names.topic, [{ key: jobId, value: JSON.stringify({ type: 'sleep', jobId, notify, timeoutSeconds: 30, queueTtlSeconds: 600 }) }]);
    const view = await waitFor(
      async () => {
        const answer = await http(app.baseUrl, `/jobs/${jobId}/status`);
        return answer.status === 200 && answer.body.status === 'COMPLETED' ? (await http(app.baseUrl, `/jobs/${jobId}`)).body : false;
      },
      { what: `job ${jobId} to complete` },
    );
    expect(view).toMatchObject({ notify, timeoutSeconds: 30 });
    expect(Date.parse(view.startDeadline) - Date.parse(view.runAt)).toBe(600_000);

    const bad = randomUUID();
    await probe.send(names.topic, [{ key: bad, value: JSON.stringify({ type: 'sleep', jobId: bad, notify: { email: ['not an address'] } }) }]);
    const dead = await log.waitFor((m) => m.topic === names.deadLetterTopic && m.key === bad, 'the bad notify dead letter');
    expect(dead.headers['x-dlt-code']).toBe('INVALID_MESSAGE');
    expect((await http(app.baseUrl, `/jobs/${bad}`)).status).toBe(404);
  });

  it('makes one job of a message sent twice with the same jobId, and runs it once', async () => {
    const jobId = randomUUID();
    const marker = randomUUID();
    const message = {
      key: jobId,
      value: JSON.stringify({ type: 'sleep', jobId, payload: { result: { marker } } }),
    };
    await probe.send(names.topic, [message]);
    await probe.send(names.topic, [message]);
    await barrier(jobId);

    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    expect(await jobsWithMarker(marker)).toEqual([
      expect.objectContaining({ id: jobId, status: 'COMPLETED' }),
    ]);
    const copies = log
      .matching(onTopic(jobId))
      .filter((m) => jsonValue<MessageValue>(m)?.payload?.result?.marker === marker);
    expect(copies).toHaveLength(2);
    expect(log.matching((m) => copies.some((copy) => deadLetterOf(copy)(m)))).toEqual([]);
    const moves = await transitionsOf(schema, jobId);
    expect(moves.filter((to) => to === 'RUNNING')).toHaveLength(1);
    expect(moves.filter((to) => to === 'COMPLETED')).toHaveLength(1);
  });

  it('makes one job of a message sent twice with the same idempotencyKey and no jobId', async () => {
    const idempotencyKey = `order-${randomUUID()}`;
    const marker = randomUUID();
    const message = {
      key: idempotencyKey,
      value: JSON.stringify({ type: 'sleep', idempotencyKey, payload: { result: { marker } } }),
    };
    await probe.send(names.topic, [message]);
    await probe.send(names.topic, [message]);
    await barrier(idempotencyKey);

    const [job] = await waitFor(
      async () => {
        const rows = await jobsWithMarker(marker);
        return rows[0]?.status === 'COMPLETED' ? rows : false;
      },
      { what: `the job with key ${idempotencyKey} to complete` },
    );
    expect(await jobsWithMarker(marker)).toHaveLength(1);
    expect(job.idempotency_key).toBe(idempotencyKey);
    const listed = await http<{ items: Array<{ payload: { result?: { marker?: string } } }> }>(
      app.baseUrl,
      '/jobs?type=sleep&limit=200',
    );
    expect(listed.body.items.filter((item) => item.payload.result?.marker === marker)).toHaveLength(
      1,
    );
    const copies = log
      .matching(onTopic(idempotencyKey))
      .filter((m) => jsonValue<MessageValue>(m)?.idempotencyKey === idempotencyKey);
    expect(copies).toHaveLength(2);
    expect(log.matching((m) => copies.some((copy) => deadLetterOf(copy)(m)))).toEqual([]);
  });

  it('sends garbage messages to the DLT with the reason, and the partition keeps flowing', async () => {
    const jobId = randomUUID();
    const garbage = [
      { value: `not json ${randomUUID()}`, code: 'NOT_JSON', reason: /not JSON/ },
      {
        value: JSON.stringify({ type: 'no-such-type', payload: { n: randomUUID() } }),
        code: 'unknown-job-type',
        reason: /no-such-type/,
      },
      {
        value: JSON.stringify({ type: 'sleep', payload: { ms: 'long', n: randomUUID() } }),
        code: 'validation',
        reason: /payload\.ms/,
      },
      {
        value: JSON.stringify({ type: 'sleep', jobId: `not-a-uuid-${randomUUID()}` }),
        code: 'INVALID_MESSAGE',
        reason: /jobId/,
      },
    ];
    // One key: every message lands on the same partition, the valid one last.
    await probe.send(
      names.topic,
      garbage.map((g, i) => ({
        key: jobId,
        value: g.value,
        headers: { 'x-trace-id': `trace-${i}` },
      })),
    );
    await probe.send(names.topic, [
      {
        key: jobId,
        value: JSON.stringify({ type: 'sleep', jobId, payload: { result: { survived: true } } }),
      },
    ]);

    await waitForStatus(app.baseUrl, jobId, ['COMPLETED']);
    expect((await http(app.baseUrl, `/jobs/${jobId}/result`)).body).toEqual({ survived: true });

    const valid = await log.waitFor(
      (m) => onTopic(jobId)(m) && jsonValue<MessageValue>(m)?.jobId === jobId,
      'the valid message',
    );
    for (const [i, g] of garbage.entries()) {
      const original = await log.waitFor(
        (m) => m.topic === names.topic && m.value === g.value,
        `garbage message ${i}`,
      );
      expect(original.partition).toBe(valid.partition);
      expect(BigInt(original.offset)).toBeLessThan(BigInt(valid.offset));
      const dead = await log.waitFor(
        deadLetterOf(original),
        `the dead letter of garbage message ${i}`,
      );
      expect(dead.value).toBe(g.value);
      expect(dead.key).toBe(jobId);
      expect(dead.headers[DLT.code]).toBe(g.code);
      expect(dead.headers[DLT.reason]).toMatch(g.reason);
      expect(dead.headers[DLT.topic]).toBe(names.topic);
      expect(dead.headers['x-trace-id']).toBe(`trace-${i}`);
    }
    const created = await schema.query(
      `SELECT id FROM jobs WHERE type = 'no-such-type' OR payload ->> 'ms' = 'long'`,
    );
    expect(created).toEqual([]);
  });

  it('buries a job whose attempts run out and records it on the DLT with the error, attempts and origin', async () => {
    const submitted = await http(app.baseUrl, '/jobs', {
      method: 'POST',
      json: { type: 'sleep', maxAttempts: 2, payload: { failAttempts: 2 } },
    });
    expect(submitted.status).toBe(202);
    const { jobId } = submitted.body;

    const dead = await waitForStatus(app.baseUrl, jobId, ['DEAD']);
    expect(dead.status).toBe('DEAD');
    expect(await transitionsOf(schema, jobId)).toEqual([
      'QUEUED',
      'RUNNING',
      'FAILED',
      'QUEUED',
      'RUNNING',
      'DEAD',
    ]);

    const record = await log.waitFor(
      (m) => m.topic === names.deadLetterTopic && m.headers[DLT.jobId] === jobId,
      'the DLT record of the dead job',
    );
    expect(record.key).toBe(jobId);
    expect(jsonValue(record)).toMatchObject({
      jobId,
      type: 'sleep',
      payload: { failAttempts: 2 },
      maxAttempts: 2,
    });
    expect(record.headers[DLT.reason]).toBe('planned failure 2 of 2');
    expect(record.headers[DLT.code]).toBe('PlannedFailure');
    expect(record.headers[DLT.attempts]).toBe('2');
    expect(record.headers[DLT.topic]).toBe(names.topic);

    // The origin is the dispatch that started the last attempt: the second record keyed by the job id.
    const dispatches = await waitFor(
      () => {
        const found = log.matching(onTopic(jobId));
        return found.length >= 2 ? found : false;
      },
      { what: 'both dispatch records of the dead job' },
    );
    expect(dispatches).toHaveLength(2);
    const last = dispatches[1];
    expect(record.headers[DLT.partition]).toBe(String(last.partition));
    expect(record.headers[DLT.offset]).toBe(last.offset);
    expect(jsonValue(last)).toEqual({ jobId, type: 'sleep' });
  });
});
