// Child process: pg-boss workers with a no-op handler. Env: BENCH_DATABASE_URL, BENCH_PGBOSS_SCHEMA,
// BENCH_PGBOSS_QUEUE, BENCH_PGBOSS_WORKERS (work() loops, pg-boss 9's teamSize), BENCH_PGBOSS_BATCH
// (jobs fetched per poll; at most WORKERS x BATCH jobs in flight) and BENCH_PGBOSS_POLL_SECONDS.
import PgBoss from 'pg-boss';

const boss = new PgBoss({
  connectionString: process.env.BENCH_DATABASE_URL,
  schema: process.env.BENCH_PGBOSS_SCHEMA,
  schedule: false,
  supervise: false,
  migrate: false,
});
boss.on('error', (error) => process.stderr.write(`pg-boss error: ${error.message}\n`));
await boss.start();
for (let i = 0; i < Number(process.env.BENCH_PGBOSS_WORKERS); i++) {
  // 0.5 s is the shortest polling interval pg-boss 10 accepts.
  await boss.work(
    process.env.BENCH_PGBOSS_QUEUE,
    { batchSize: Number(process.env.BENCH_PGBOSS_BATCH), pollingIntervalSeconds: Number(process.env.BENCH_PGBOSS_POLL_SECONDS ?? 0.5) },
    async (jobs) => Promise.all(jobs.map(async () => undefined)),
  );
}
process.send({ ready: true });
process.on('message', async (message) => {
  if (!message?.stop) return;
  await boss.stop({ graceful: true, wait: true, timeout: 5000 });
  process.exit(0);
});
