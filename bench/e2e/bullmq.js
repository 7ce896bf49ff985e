import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { forkHelper } from '../support/processes.js';
import { epochMs, latencyStats, log, mapLimit, oneAtATime, timedThroughput, waitFor } from './util.js';

export function redisConnection(infra) {
  const url = new URL(infra.redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
}

async function waitCompleted(queue, expected, timeoutMs, label) {
  let seen = 0;
  await waitFor(
    async () => {
      seen = await queue.getCompletedCount();
      return seen >= expected;
    },
    { timeoutMs, intervalMs: 10, what: () => `${label}: ${expected} completed BullMQ jobs (now ${seen})` },
  );
}

/** BullMQ 5 on the same Redis (own prefix): a worker child at `plan.bullConcurrency`, jobs added from this process. */
export async function benchBullMq(infra, names, plan) {
  const queue = new Queue(names.bullQueue, { connection: redisConnection(infra), prefix: names.bullPrefix });
  await queue.waitUntilReady();
  const worker = await forkHelper(
    resolve('bench/e2e/bullmq-worker.js'),
    {
      BENCH_REDIS_URL: infra.redisUrl,
      BENCH_BULLMQ_QUEUE: names.bullQueue,
      BENCH_BULLMQ_PREFIX: names.bullPrefix,
      BENCH_BULLMQ_CONCURRENCY: String(plan.bullConcurrency),
    },
    `BullMQ worker (concurrency ${plan.bullConcurrency})`,
  );
  const add = async () => {
    const sentAt = epochMs();
    const job = await queue.add('noop', {});
    return { id: job.id, sentAt };
  };
  try {
    log(`BullMQ (concurrency ${plan.bullConcurrency}): warm-up ${plan.warmupJobs} jobs`);
    await mapLimit(plan.warmupJobs, 8, add);
    await waitCompleted(queue, plan.warmupJobs, 60_000, 'BullMQ warm-up');

    log(`BullMQ: latency, ${plan.latencyJobs} jobs one at a time`);
    const submitted = await oneAtATime(plan.latencyJobs, add, async (job) => {
      const state = await queue.getJobState(job.id);
      if (state === 'failed') throw new Error(`BullMQ job ${job.id} failed`);
      return state === 'completed';
    });
    const table = [];
    const client = [];
    for (const { id, sentAt } of submitted) {
      const job = await queue.getJob(id);
      table.push(job.finishedOn - job.timestamp); // both Date.now(), millisecond resolution
      client.push(job.finishedOn - sentAt);
    }

    log(`BullMQ: ${plan.jobs} jobs, ${plan.httpConcurrency} concurrent adds (at most ${plan.maxSeconds} s)`);
    const before = plan.warmupJobs + plan.latencyJobs;
    const throughput = await timedThroughput({
      jobs: plan.jobs,
      concurrency: plan.httpConcurrency,
      maxSeconds: plan.maxSeconds,
      submit: add,
      completed: async () => (await queue.getCompletedCount()) - before,
    });
    log(`BullMQ: ${throughput.completed}/${plan.jobs} completed, ${throughput.rate.toFixed(1)} jobs/s${throughput.capped ? ' (time cap reached)' : ''}`);
    return {
      ...throughput,
      latency: { table: latencyStats(table), client: latencyStats(client) },
      settings: { concurrency: plan.bullConcurrency, workers: 1, producer: `Queue.add, ${plan.httpConcurrency} concurrent` },
    };
  } finally {
    await worker.stop();
    await queue.obliterate({ force: true }).catch((error) => log(`BullMQ obliterate failed: ${error.message}`));
    await queue.close();
  }
}
