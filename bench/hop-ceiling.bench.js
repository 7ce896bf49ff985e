// npm run bench:hop-ceiling — how many jobs/s PostgreSQL alone can move through the worker's two writes,
// with nothing else in the way: no HTTP, no Kafka, no handler, no result rows, no event relay.
//
//   N QUEUED jobs are inserted into a fresh schema (the app's migrations: the real table and indexes),
//   then C connections (concurrently) repeatedly claim a batch of B ids with the worker's claim statement
//   (JOB_MOVES.claimByIds) and complete the same batch with its completion statement (completeMany):
//   rate = N ÷ elapsed. This is the ceiling of the worker hop on this machine's PostgreSQL for the
//   fenced claim/complete design, however fast the Kafka client and the app are; it is printed beside
//   the hop target (0.2 × a raw kafkajs loop, issue 12).
//
// Knobs (env): DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_CEILING_N (30000),
// BENCH_CEILING_BATCH (500), BENCH_CEILING_CONNECTIONS (4). Needs `npm run build`. The schema
// (`<run id>_ceiling`) is dropped on every exit path.
import pg from 'pg';
import { migrate } from '../dist/database/migrate.js';
import { JOB_MOVES } from '../dist/jobs/job-moves.sql.js';
import { dropSchema } from './support/processes.js';
import { suitePrefix } from './support/run-context.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.env.BENCH_CEILING_N ?? 30_000);
const BATCH = Number(process.env.BENCH_CEILING_BATCH ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CEILING_CONNECTIONS ?? 4);
const schema = suitePrefix('ceiling');

async function main() {
  await migrate({ url: DATABASE_URL, schema });
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: CONNECTIONS, options: `-c search_path=${schema}` });
  try {
    const { rows } = await pool.query(
      `INSERT INTO jobs (id, type, payload, status, max_attempts, run_at, queued_at, owner, tenant)
       SELECT gen_random_uuid(), 'sleep', '{"ms":0}', 'QUEUED', 3, now(), now(), 'bench', 'default' FROM generate_series(1, $1)
       RETURNING id`,
      [N],
    );
    await pool.query('ANALYZE jobs');
    const ids = rows.map((row) => row.id);
    const batches = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
    const claim = { leaseMs: 30_000, workerId: 'ceiling', types: ['sleep'] };
    let next = 0;
    let moved = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          const dispatches = JSON.stringify(batch.map((id) => ({ id, origin: null })));
          const claimed = await pool.query({ name: 'claim', text: JOB_MOVES.claimByIds.text, values: [dispatches, claim.leaseMs, claim.workerId, claim.types] });
          const completions = JSON.stringify(claimed.rows.map((job) => ({ id: job.id, attempt: job.attempts, result_ref: null, progress_message: null })));
          const completed = await pool.query({ name: 'complete', text: JOB_MOVES.completeMany.text, values: [completions, 0] });
          moved += completed.rows.length;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    if (moved !== N) throw new Error(`moved ${moved} of ${N}`);
    console.log(`PostgreSQL ceiling of the worker hop: ${N} jobs claimed and completed in ${seconds.toFixed(2)} s → ${Math.round(N / seconds).toLocaleString('en-US')} jobs/s`);
    console.log(`  (batches of ${BATCH}, ${CONNECTIONS} connections; the real claim and completion statements, history rows included; no HTTP, Kafka, handler, result or relay)`);
  } finally {
    await pool.end();
  }
}

try {
  await main();
} finally {
  await dropSchema(DATABASE_URL, schema);
}
