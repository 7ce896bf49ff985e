import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { KafkaProbe, distributedEnv, kafkaNames, keepLogs } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

/** Every sample of one metric in a Prometheus text answer, with its labels. */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  return [...text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))].map((match) => ({
    labels: Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]])),
    value: Number(match[2]),
  }));
}

/** An API node (which exports the gauges) and one worker, on a topic, group and schema of their own. */
describe('autoscaling signal on /metrics', () => {
  const names = kafkaNames();
  const probe = new KafkaProbe(names.brokers);
  let schema: TestSchema;
  let env: Record<string, string>;
  let api: AppProcess;
  const workers: AppProcess[] = [];

  const scrape = async () => (await http<string>(api.baseUrl, '/metrics')).text;
  const lagOf = (text: string) => samples(text, 'longhaul_kafka_consumer_lag').filter((s) => s.labels.topic === names.topic);
  const queued = (text: string) => samples(text, 'longhaul_jobs').find((s) => s.labels.status === 'QUEUED' && s.labels.type === 'sleep')?.value;
  const oldestAge = (text: string) => samples(text, 'longhaul_oldest_queued_job_age_seconds')[0]?.value;
  /** Polls /metrics until `check` holds on a fresh scrape. */
  const metricsUntil = (check: (text: string) => boolean, what: string) => {
    let last = '';
    return waitFor(
      async () => {
        last = await scrape();
        return check(last) ? last : false;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: () => `${what}; lag: ${JSON.stringify(lagOf(last))}, queued: ${queued(last)}` },
    );
  };
  const startWorker = async () => {
    const worker = await startApp({ ...env, APP_ROLE: 'worker' });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    schema = await createTestSchema('autoscaling');
    env = distributedEnv(names, schema, { QUEUE_METRICS_INTERVAL_MS: '250', SHUTDOWN_GRACE_MS: '300' });
    api = await startApp({ ...env, APP_ROLE: 'api' });
  }, 120_000);

  afterAll(async () => {
    keepLogs(`autoscaling-${names.topic}`, { api, ...Object.fromEntries(workers.map((worker, i) => [`worker-${i + 1}`, worker])) });
    await probe.close();
    await Promise.allSettled([api?.stop(), ...workers.map((worker) => worker.stop())]);
    await schema?.drop();
  }, 60_000);

  it('lag per partition rises while no worker consumes and falls when workers return', async () => {
    const first = await startWorker();
    await probe.waitForGroup(names.groupId, 1);
    const idle = await metricsUntil((text) => lagOf(text).length === 3, 'a lag series for each of the 3 partitions');
    expect(lagOf(idle).map((s) => [s.labels.partition, s.labels.group, s.value])).toEqual([
      ['0', names.groupId, 0],
      ['1', names.groupId, 0],
      ['2', names.groupId, 0],
    ]);

    expect(await first.stop()).toBe(0);
    const jobs = await Promise.all(Array.from({ length: 12 }, (_, i) => submitted(api.baseUrl, { type: 'sleep', payload: { ms: 0, result: i } })));
    const backlog = await metricsUntil((text) => lagOf(text).reduce((sum, s) => sum + s.value, 0) === 12, 'the lag to reach the 12 jobs');
    expect(lagOf(backlog).filter((s) => s.value > 0).length).toBeGreaterThan(1); // keys spread the jobs over partitions
    expect(queued(backlog)).toBe(12);
    const waited = await metricsUntil((text) => (oldestAge(text) ?? 0) > 0.5, 'the oldest queued job to age');
    expect(oldestAge(waited)).toBeLessThan(60);

    await startWorker();
    await Promise.all(jobs.map((id) => waitForStatus(api.baseUrl, id, ['COMPLETED'], 60_000)));
    // The gauges are computed on a timer, so a scrape may still show the last jobs running: wait for the refresh.
    const running = (text: string) => samples(text, 'longhaul_jobs').find((s) => s.labels.status === 'RUNNING' && s.labels.type === 'sleep')?.value;
    const drained = await metricsUntil(
      (text) => lagOf(text).every((s) => s.value === 0) && queued(text) === 0 && running(text) === 0,
      'the lag, the queue and the running jobs to fall back to 0',
    );
    expect(oldestAge(drained)).toBe(0);
  }, 180_000);

  it('is not exported by worker-only nodes, which come and go with the scaling', async () => {
    const worker = workers.at(-1)!;
    const text = (await http<string>(worker.baseUrl, '/metrics')).text;
    expect(samples(text, 'longhaul_kafka_consumer_lag')).toEqual([]);
    expect(samples(text, 'longhaul_jobs')).toEqual([]);
  });
});
