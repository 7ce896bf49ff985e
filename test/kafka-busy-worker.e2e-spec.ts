import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { submitted } from './support/jobs.js';
import { KafkaProbe, distributedEnv, kafkaNames, keepLogs } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

/**
 * A worker whose every run slot is taken still reads on what needs no slot. Job requests produced
 * straight to the topic (no row yet: nobody else could take them from PostgreSQL) must become jobs at
 * once, not 32 of them and then a pause until a long job ends.
 */
describe('Kafka consumer with every run slot busy', () => {
  const names = kafkaNames();
  const probe = new KafkaProbe(names.brokers);
  let schema: TestSchema;
  let app: AppProcess;

  beforeAll(async () => {
    schema = await createTestSchema('kafka_busy');
    app = await startApp(distributedEnv(names, schema, { KAFKA_PARTITIONS: '1', WORKER_CONCURRENCY: '1' }));
  }, 90_000);

  afterAll(async () => {
    keepLogs(`kafka-busy-worker-${names.topic}`, { app });
    await probe.close();
    await app?.stop();
    await schema?.drop();
  });

  it('turns a burst of job requests into jobs while the only slot runs a long job', async () => {
    const long = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 30_000 } });
    await waitFor(async () => (await schema.query(`SELECT 1 FROM jobs WHERE id = $1 AND status = 'RUNNING'`, [long])).length === 1, {
      what: 'the long job to hold the only slot',
    });

    const burst = randomUUID();
    const requests = Array.from({ length: 80 }, (_, i) => ({
      key: `${burst}-${i}`,
      value: JSON.stringify({ type: 'sleep', payload: { ms: 1, result: { burst, i } } }),
    }));
    await probe.send(names.topic, requests);

    const made = async () =>
      Number((await schema.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE payload -> 'result' ->> 'burst' = $1`, [burst]))[0].n);
    await waitFor(async () => (await made()) === 80, { timeoutMs: 10_000, what: 'all 80 requests to become jobs' });
    // …while the long job still holds the slot: nothing waited for it.
    expect((await schema.query<{ status: string }>(`SELECT status FROM jobs WHERE id = $1`, [long]))[0].status).toBe('RUNNING');
  });
});
