// Removes everything whose name starts with a prefix: PostgreSQL schemas, Kafka topics and consumer
// groups, Redis keys and temporary directories. Every bench names what it creates `<run id>_<suite>…`,
// so a bench sweeps its own prefix at the end and `npm run bench` sweeps the run's after all suites.
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import kafkajs from 'kafkajs';
import pg from 'pg';

const { Kafka, logLevel } = kafkajs;

/**
 * Returns what was removed, per kind; a failing kind is reported in `errors` and the others still run.
 * `infra.kafkaBrokers` / `infra.redisUrl` left out: that kind is not swept (a bench that never used it).
 */
export async function sweepPrefix(prefix, infra, log = () => undefined) {
  if (!/^lhb[a-z0-9_]+$/.test(prefix)) throw new Error(`refusing to sweep an unexpected prefix: ${prefix}`);
  const removed = { schemas: [], topics: [], groups: [], redisKeys: 0, dirs: [], errors: [] };
  const attempt = async (kind, work) => {
    try {
      await work();
    } catch (error) {
      removed.errors.push(`${kind}: ${error.message}`);
      log(`clean-up of ${kind} failed: ${error.message}`);
    }
  };

  if (infra.kafkaBrokers) await attempt('Kafka', async () => {
    const kafka = new Kafka({ clientId: `${prefix}-cleanup`, brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      const ours = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
      if (ours.length > 0) {
        // A group that still has members (a consumer not yet stopped) cannot be deleted: reported, not hidden.
        const failed = await admin.deleteGroups(ours).then(
          () => [],
          (error) => error.groups ?? [{ groupId: ours.join(','), error }],
        );
        for (const { groupId, error, errorCode } of failed) removed.errors.push(`group ${groupId}: ${error?.message ?? errorCode}`);
        removed.groups = ours.filter((id) => !failed.some((f) => f.groupId === id));
      }
      removed.topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
      if (removed.topics.length > 0) await admin.deleteTopics({ topics: removed.topics, timeout: 15_000 });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });

  if (infra.databaseUrl) await attempt('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: infra.databaseUrl });
    await client.connect();
    try {
      await client.query(`SET lock_timeout = '15s'`);
      const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE left(nspname, length($1)) = $1`, [prefix]);
      for (const { nspname } of rows) {
        await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
        removed.schemas.push(nspname);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  if (infra.redisUrl) await attempt('Redis', async () => {
    const redis = new Redis(infra.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
    redis.on('error', () => undefined); // a failed command reports it
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) removed.redisKeys += await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });

  await attempt('temporary directories', async () => {
    for (const entry of readdirSync(tmpdir())) {
      if (!entry.startsWith(prefix)) continue;
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
      removed.dirs.push(entry);
    }
  });
  return removed;
}

export function describeRemoved(removed) {
  const parts = [];
  if (removed.schemas.length) parts.push(`${removed.schemas.length} schema(s)`);
  if (removed.topics.length) parts.push(`${removed.topics.length} topic(s)`);
  if (removed.groups.length) parts.push(`${removed.groups.length} consumer group(s)`);
  if (removed.redisKeys) parts.push(`${removed.redisKeys} Redis key(s)`);
  if (removed.dirs.length) parts.push(`${removed.dirs.length} temporary dir(s)`);
  return parts.length ? parts.join(', ') : 'nothing';
}
