// Child process: a BullMQ worker with a no-op processor. Env: BENCH_REDIS_URL, BENCH_BULLMQ_QUEUE,
// BENCH_BULLMQ_PREFIX, BENCH_BULLMQ_CONCURRENCY.
import { Worker } from 'bullmq';

const url = new URL(process.env.BENCH_REDIS_URL);
const worker = new Worker(process.env.BENCH_BULLMQ_QUEUE, async () => undefined, {
  connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
  prefix: process.env.BENCH_BULLMQ_PREFIX,
  concurrency: Number(process.env.BENCH_BULLMQ_CONCURRENCY),
});
worker.on('error', (error) => process.stderr.write(`bullmq worker error: ${error.message}\n`));
await worker.waitUntilReady();
process.send({ ready: true });
process.on('message', async (message) => {
  if (!message?.stop) return;
  await worker.close();
  process.exit(0);
});
