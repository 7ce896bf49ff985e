import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, transitionsOf, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { KafkaProbe, distributedEnv, kafkaNames, keepLogs } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

/** The pid in the app's JSON log lines; `jobs.locked_by` is `host:pid:random`. */
function pidOf(app: AppProcess): number {
  const line = app
    .logs()
    .split('\n')
    .find((l) => l.includes('"pid":'));
  const pid = line ? (JSON.parse(line) as { pid?: number }).pid : undefined;
  if (!pid) throw new Error(`no pid in the logs of ${app.baseUrl}`);
  return pid;
}

const lockedBy = (app: AppProcess) => new RegExp(`:${pidOf(app)}:[0-9a-f]+$`);

/** One API process and worker processes (APP_ROLE) on one schema, topic and consumer group. */
describe('Kafka scale-out: worker processes share the partitions', () => {
  const names = kafkaNames();
  const probe = new KafkaProbe(names.brokers);
  let schema: TestSchema;
  let env: Record<string, string>;
  let api: AppProcess;
  /** Every worker started, and the ones still running. */
  const workers: AppProcess[] = [];
  const live = new Set<AppProcess>();

  const submit = async (payload: Record<string, unknown>): Promise<string> => {
    const answer = await http(api.baseUrl, '/jobs', {
      method: 'POST',
      json: { type: 'sleep', payload },
    });
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 202,
      body: expect.anything(),
    });
    return answer.body.jobId as string;
  };
  const submitMany = (count: number, payload: Record<string, unknown>) =>
    Promise.all(Array.from({ length: count }, () => submit(payload)));
  const completeAll = (ids: string[]) =>
    Promise.all(ids.map((id) => waitForStatus(api.baseUrl, id, ['COMPLETED'], 90_000)));
  const lockers = async (ids: string[]) =>
    schema.query<{ id: string; status: string; locked_by: string | null }>(
      `SELECT id, status, locked_by FROM jobs WHERE id = ANY($1)`,
      [ids],
    );
  const startWorker = async () => {
    const worker = await startApp({ ...env, APP_ROLE: 'worker' });
    workers.push(worker);
    live.add(worker);
    return worker;
  };
  const stopWorker = async (worker: AppProcess, how: 'stop' | 'kill') => {
    live.delete(worker);
    if (how === 'kill') await worker.kill();
    else expect(await worker.stop()).toBe(0);
  };
  /** Exactly `count` live workers, all in the consumer group with partitions of their own. */
  const liveWorkers = async (count: number): Promise<AppProcess[]> => {
    for (const extra of [...live].slice(count)) await stopWorker(extra, 'stop');
    await Promise.all(Array.from({ length: count - live.size }, () => startWorker()));
    await probe.waitForGroup(names.groupId, count);
    return [...live];
  };

  beforeAll(async () => {
    schema = await createTestSchema('kafka_scale');
    // 4 partitions: two each once both workers are in the group.
    env = distributedEnv(names, schema, {
      KAFKA_PARTITIONS: '4',
      JOB_LEASE_MS: '3000',
      SHUTDOWN_GRACE_MS: '300',
    });
    api = await startApp({ ...env, APP_ROLE: 'api' });
    await Promise.all([startWorker(), startWorker()]);
  }, 120_000);

  afterAll(async () => {
    keepLogs(`kafka-scale-out-${names.topic}`, {
      api,
      ...Object.fromEntries(workers.map((worker, i) => [`worker-${i + 1}`, worker])),
    });
    await probe.close();
    await Promise.allSettled([api?.stop(), ...workers.map((worker) => worker.stop())]);
    await schema?.drop();
  }, 60_000);

  it('shares a batch between two workers, and moves the work of a stopped worker to the other', async () => {
    const [first, second] = await liveWorkers(2);

    const batch = await submitMany(16, { ms: 200 });
    await completeAll(batch);
    const ranBy = (await lockers(batch)).map((job) => job.locked_by ?? '');
    expect(ranBy.filter((id) => lockedBy(first).test(id)).length).toBeGreaterThan(0);
    expect(ranBy.filter((id) => lockedBy(second).test(id)).length).toBeGreaterThan(0);
    expect(ranBy.every((id) => lockedBy(first).test(id) || lockedBy(second).test(id))).toBe(true);

    // Long jobs until the first worker is running at least one; then stop it (SIGTERM) mid-work.
    const long: string[] = [];
    await waitFor(
      async () => {
        const rows = await lockers(long);
        if (
          rows.some((job) => job.status === 'RUNNING' && lockedBy(first).test(job.locked_by ?? ''))
        )
          return true;
        if (long.length < 30) long.push(await submit({ ms: 2500 }));
        return false;
      },
      { intervalMs: 100, what: 'the first worker to run a long job' },
    );
    await stopWorker(first, 'stop');

    const after = await submitMany(8, { ms: 50 });
    await completeAll([...long, ...after]);
    for (const job of await lockers(after)) expect(job.locked_by).toMatch(lockedBy(second));
    for (const id of long) {
      const moves = await transitionsOf(schema, id);
      expect(moves.filter((to) => to === 'COMPLETED')).toHaveLength(1);
    }
    const moved = (await lockers(long)).filter((job) => lockedBy(second).test(job.locked_by ?? ''));
    expect(moved.length).toBeGreaterThan(0);
    const interrupted = await schema.query(
      `SELECT job_id FROM job_transitions WHERE job_id = ANY($1) AND to_status = 'FAILED' AND reason LIKE 'interrupted%'`,
      [long],
    );
    expect(interrupted.length).toBeGreaterThan(0);
  }, 120_000);

  it('completes a job exactly once when its worker is killed (SIGKILL) mid-job', async () => {
    const alive = await liveWorkers(2);

    const jobId = await submit({ ms: 2500, steps: 5 });
    const running = await waitFor(
      async () => {
        const [job] = await lockers([jobId]);
        return job?.status === 'RUNNING' ? job : false;
      },
      { what: `job ${jobId} to start` },
    );
    const victim = alive.find((worker) => lockedBy(worker).test(running.locked_by ?? ''));
    const survivor = alive.find((worker) => worker !== victim);
    if (!victim || !survivor)
      throw new Error(`job ${jobId} was locked by ${running.locked_by}, not by a live worker`);
    await stopWorker(victim, 'kill');

    await waitForStatus(api.baseUrl, jobId, ['COMPLETED'], 90_000);
    const moves = await transitionsOf(schema, jobId);
    expect(moves.filter((to) => to === 'COMPLETED')).toHaveLength(1);
    expect(moves).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
    const history = await http<Array<{ to: string; reason: string | null }>>(
      api.baseUrl,
      `/jobs/${jobId}/history`,
    );
    expect(history.body.filter((t) => t.to === 'COMPLETED')).toHaveLength(1);
    expect(history.body.find((t) => t.to === 'FAILED')?.reason).toBe('lease expired');
    const [done] = await lockers([jobId]);
    expect(done.locked_by).toMatch(lockedBy(survivor));
  }, 120_000);
});
