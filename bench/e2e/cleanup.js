import { Redis } from 'ioredis';
import { benchKafka } from './kafka-raw.js';
import { redisConnection } from './bullmq.js';
import { log } from './util.js';

/** Drops what the run created: its PostgreSQL schemas, Kafka topics and groups, and Redis keys carrying the run id. */
export async function cleanUp(infra, db, names) {
  for (const schema of [names.e2e.schema, names.hop.schema, names.pgbossSchema]) {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error) => log(`drop schema ${schema}: ${error.message}`));
  }

  const admin = benchKafka(infra).admin();
  try {
    await admin.connect();
    const ours = new Set([names.e2e.topic, `${names.e2e.topic}.DLT`, names.hop.topic, `${names.hop.topic}.DLT`, names.rawTopic]);
    const existing = (await admin.listTopics()).filter((topic) => ours.has(topic));
    if (existing.length > 0) await admin.deleteTopics({ topics: existing, timeout: 10_000 });
    await admin.deleteGroups([names.e2e.group, names.hop.group, names.rawGroup]).catch(() => undefined);
  } catch (error) {
    log(`Kafka clean-up: ${error.message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }

  const redis = new Redis({ ...redisConnection(infra), lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${names.runId}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    if (deleted > 0) log(`Redis clean-up: deleted ${deleted} keys`);
  } catch (error) {
    log(`Redis clean-up: ${error.message}`);
  } finally {
    redis.disconnect();
  }
}
