import pg from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/load-config.js';
import { migrate } from '../src/database/migrate.js';
import { JobEventOutboxRepository } from '../src/jobs/job-event-outbox.repository.js';
import { JobRetentionRepository } from '../src/jobs/job-retention.repository.js';
import { JobsRepository } from '../src/jobs/jobs.repository.js';
import { JobStatus } from '../src/jobs/domain/job-status.js';
import { BacklogRepository } from '../src/metrics/backlog.repository.js';
import { OutboxRepository } from '../src/queue/kafka/outbox.repository.js';
import { RetentionRegistry } from '../src/retention/retention-registry.js';
import { DeliveryRetention } from '../src/webhooks/delivery-retention.js';
import { WebhookDeliveryQueueRepository } from '../src/webhooks/delivery/webhook-delivery-queue.repository.js';
import { TEST_DATABASE_URL, createTestSchema, type TestSchema } from './support/database.js';

interface Captured {
  sql: string;
  params: unknown[];
}

/** A stand-in DataSource that records every statement a repository method would send, answering none. */
function recorder(): { db: DataSource; take(): Captured[] } {
  let captured: Captured[] = [];
  const query = (sql: string, params: unknown[] = []) => {
    captured.push({ sql, params });
    return Promise.resolve([]);
  };
  const db = { query, transaction: (work: (tx: unknown) => Promise<unknown>) => work({ query }), subscribers: [] };
  return {
    db: db as unknown as DataSource,
    take: () => {
      const all = captured;
      captured = [];
      return all;
    },
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(plan: PlanNode): string[] {
  const own = plan['Node Type'] === 'Seq Scan' && plan['Relation Name'] ? [plan['Relation Name']] : [];
  return [...own, ...(plan.Plans ?? []).flatMap(seqScans)];
}

const BIG_TABLES = ['jobs', 'job_transitions', 'webhook_deliveries', 'job_outbox'];

/**
 * Every hot statement reads an index, never the whole table: checked with EXPLAIN against a schema
 * holding a realistic spread of 60,000 jobs. The statements are the ones the repositories really send.
 */
describe('hot queries use indexes', () => {
  let schema: TestSchema;
  let client: pg.Client;
  const statements: Array<[string, Captured]> = [];

  beforeAll(async () => {
    schema = await createTestSchema('hot_queries');
    await migrate({ url: TEST_DATABASE_URL, schema: schema.name });
    await schema.query(`
      INSERT INTO jobs (id, type, payload, status, max_attempts, attempts, run_at, queued_at, next_attempt_at, lease_expires_at,
                        finished_at, result_ref, result_expires_at, created_at, owner, tenant)
      SELECT gen_random_uuid(), (ARRAY['sleep', 'report'])[1 + n % 2], '{}', s.status, 3, 1,
             CASE WHEN s.status = 'PENDING' THEN now() + interval '1 hour' ELSE now() - interval '1 hour' END,
             CASE WHEN s.status = 'QUEUED' THEN now() - (n % 100) * interval '1 second' END,
             CASE WHEN s.status = 'FAILED' THEN now() + interval '1 minute' END,
             CASE WHEN s.status = 'RUNNING' THEN now() + interval '30 seconds' END,
             CASE WHEN s.status IN ('COMPLETED', 'DEAD', 'CANCELLED') THEN now() - (n % 60) * interval '1 day' END,
             CASE WHEN s.status = 'COMPLETED' THEN '{"store":"database","contentType":"application/json","sizeBytes":2}'::jsonb END,
             CASE WHEN s.status = 'COMPLETED' THEN now() + (n % 60 - 30) * interval '1 day' END,
             now() - n * interval '1 second', 'owner-' || (n % 10), 'tenant-' || (n % 10)
      FROM (VALUES ('COMPLETED', 50000), ('QUEUED', 3000), ('PENDING', 2000), ('FAILED', 1000), ('RUNNING', 500), ('DEAD', 2000), ('CANCELLED', 1500))
             AS s(status, count), generate_series(1, s.count) AS n`);
    await schema.query(`
      INSERT INTO job_transitions (job_id, from_status, to_status, attempt, effects_pending)
      SELECT id, 'RUNNING', status, 1, random() < 0.002 FROM jobs`);
    await schema.query(`
      INSERT INTO webhook_deliveries (id, message_id, endpoint_key, url, event_type, body, status, next_attempt_at, updated_at, tenant)
      SELECT gen_random_uuid(), 'msg_' || n, 'callback', 'http://127.0.0.1:9/', 'job.complete', '{}',
             CASE WHEN n % 100 = 0 THEN 'pending' ELSE 'delivered' END, now(), now() - (n % 60) * interval '1 day', 'tenant-' || (n % 10)
      FROM generate_series(1, 20000) AS n`);
    await schema.query(`
      INSERT INTO job_outbox (topic, message_key, value, sent_at)
      SELECT 't', 'k', '{}', CASE WHEN n % 100 = 0 THEN NULL ELSE now() END FROM generate_series(1, 20000) AS n`);
    await schema.query(`ANALYZE`);

    const config = loadConfig({});
    const rec = recorder();
    const jobs = new JobsRepository(rec.db);
    const claim = { leaseMs: 30_000, workerId: 'w', types: ['sleep', 'report'] };
    const policy = { maxInterruptions: 5, backoffBaseMs: 2000, backoffMaxMs: 60_000 };
    const someId = '00000000-0000-4000-8000-000000000000';
    const record = async (name: string, call: () => Promise<unknown>) => {
      await call();
      for (const [i, statement] of rec.take().entries()) statements.push([`${name}#${i + 1}`, statement]);
    };
    await record('claimQueued', () => jobs.claimQueued(5, claim));
    await record('claimByIds', () => jobs.claimByIds([{ id: someId, origin: { topic: 't', partition: 0, offset: '1' } }], claim));
    await record('claimStranded', () => jobs.claimStranded(5, 10_000, claim));
    await record('heartbeat', () => jobs.heartbeat(someId, 1, 30_000));
    await record('completeMany', () => jobs.completeMany([{ id: someId, attempt: 1, result: null, progressMessage: null }], 0, rec.db));
    await record('fail', () => jobs.fail(someId, 1, { message: 'x', attempt: 1 }, 1000));
    await record('bury', () => jobs.bury(someId, 1, { message: 'x', attempt: 1 }));
    await record('interrupt', () => jobs.interrupt({ id: someId, attempts: 1, interruptions: 0 }, 'shutdown', policy));
    await record('interruptToDead', () => jobs.interrupt({ id: someId, attempts: 1, interruptions: 4 }, 'shutdown', policy));
    await record('cancel', () => jobs.cancel(someId, { message: 'x', attempt: 0 }));
    await record('promoteDue', () => jobs.promoteDue(500, rec.db));
    await record('expireLeases', () => jobs.expireLeases(500, policy));
    await record('buryUnrunnable', () => jobs.buryUnrunnable(500, 900_000, 35_000));
    await record('nextDueInMs', () => jobs.nextDueInMs());
    await record('findById', () => jobs.findById(someId));
    await record('findInScope', () => jobs.findInScope(someId, 'default'));
    await record('transitions', () => jobs.transitions(someId));
    await record('list', () => jobs.list({ tenant: null, limit: 51 }));
    await record('listOfTenant', () => jobs.list({ tenant: 'default', limit: 51 }));
    await record('listByStatus', () => jobs.list({ tenant: 'default', status: JobStatus.DEAD, limit: 51, before: { createdAt: new Date(), id: someId } }));
    const retention = new JobRetentionRepository(rec.db);
    await record('expiredResults', () => retention.expiredResults(500));
    await record('finishedBefore', () => retention.finishedBefore(config.retention.jobSeconds, 500));
    await record('jobEvents', () => new JobEventOutboxRepository(rec.db).withPending(500, () => Promise.resolve()));
    const registry = new RetentionRegistry();
    new DeliveryRetention(rec.db, config, registry);
    await record('deliveryRetention', () => registry.all()[0].prune(500));
    await record('deliveryClaim', () => new WebhookDeliveryQueueRepository(rec.db).claimDue(50, 30_000, 'w'));
    const backlog = new BacklogRepository(rec.db);
    await record('backlogCounts', () => backlog.countsByStatusAndType());
    await record('oldestQueued', () => backlog.oldestQueuedAgeSeconds());
    await record('outboxPublish', () => new OutboxRepository(rec.db).publishBatch(500, () => Promise.resolve()));

    client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema.name}` });
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await schema?.drop();
  });

  it('every statement of the job core, the relays and retention reads indexes only', async () => {
    expect(statements.length).toBeGreaterThanOrEqual(25);
    const offenders: Array<{ name: string; scans: string[] }> = [];
    for (const [index, [name, { sql, params }]] of statements.entries()) {
      const prepared = `hot_${index}`;
      await client.query(`PREPARE ${prepared} AS ${sql}`);
      const args = params.map((value) => (value === null || value === undefined ? 'NULL' : client.escapeLiteral(literal(value))));
      const explained = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) EXECUTE ${prepared}${args.length ? `(${args.join(', ')})` : ''}`,
      );
      await client.query(`DEALLOCATE ${prepared}`);
      const scans = seqScans(explained.rows[0]['QUERY PLAN'][0].Plan).filter((table) => BIG_TABLES.includes(table));
      if (scans.length > 0) offenders.push({ name, scans });
    }
    expect(offenders).toEqual([]);
  });
});

function literal(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map((item) => `"${String(item)}"`).join(',')}}`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
