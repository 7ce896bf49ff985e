import { KafkaProbe, type MessageLog } from '../../support/kafka.js';
import { waitFor } from '../../support/wait-for.js';
import { ChaosCluster } from '../support/cluster.js';
import { poisonMessages, POISON_BODY_LIMIT, validMessage } from '../support/poison.js';
import type { ChaosScenario } from '../support/scenario.js';

const PARTITION = 0;

/** Poison keys not (yet) on the DLT with both a reason and a code. */
function missingFromDlt(log: MessageLog, keys: readonly string[]): string[] {
  return keys.filter((key) => !log.messages.some((m) => m.key === key && (m.headers['x-dlt-reason'] ?? '') !== '' && (m.headers['x-dlt-code'] ?? '') !== ''));
}

export const poisonMessagesScenario: ChaosScenario = {
  name: 'poison-messages',
  title: 'poison messages (bad bytes, not JSON, unknown type, huge): all on the DLT with reasons; the partition keeps flowing',
  timeoutMs: () => 180_000,
  async run(infra, scale, figures) {
    const cluster = await ChaosCluster.create(infra, 'poison');
    const kafka = new KafkaProbe(infra.brokers);
    const producer = kafka.kafka.producer();
    try {
      await cluster.startAll([
        { name: 'api', role: 'api', env: { BODY_LIMIT_BYTES: String(POISON_BODY_LIMIT), KAFKA_MAX_MESSAGE_BYTES: String(POISON_BODY_LIMIT) } },
        { name: 'worker', role: 'worker', env: { BODY_LIMIT_BYTES: String(POISON_BODY_LIMIT), KAFKA_MAX_MESSAGE_BYTES: String(POISON_BODY_LIMIT) } },
      ]);
      const admin = kafka.kafka.admin();
      await admin.connect();
      await waitFor(async () => ((topics) => topics.includes(cluster.topic) && topics.includes(cluster.deadLetterTopic))(await admin.listTopics()), { timeoutMs: 30_000, what: `topic ${cluster.topic} made by the apps` }).finally(() =>
        admin.disconnect(),
      );
      const dlt = await kafka.record([cluster.deadLetterTopic]);
      await producer.connect();
      const poison = poisonMessages();
      const valid = Array.from({ length: scale.poison.validAfter }, (_, i) => validMessage(i));
      // One partition, in order: every poison message first, then the valid ones behind them.
      for (const message of [...poison, ...valid]) {
        await producer.send({ topic: cluster.topic, acks: -1, messages: [{ partition: PARTITION, key: message.key, value: message.value }] });
      }
      const poisonKeys = poison.map((message) => message.key);
      const validKeys = valid.map((_, i) => `chaos-valid-${i}`);

      const completedValid = async () =>
        (
          await cluster.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE idempotency_key = ANY($1) AND status = 'COMPLETED'`, [validKeys])
        )[0].n;
      await waitFor(async () => missingFromDlt(dlt, poisonKeys).length === 0 && (await completedValid()) === validKeys.length, {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'every poison message on the DLT and every valid message after them completed',
      }).catch(() => false);
      const flowing = await kafka
        .waitForNoLag(cluster.groupId, cluster.topic, 10_000)
        .then(() => true)
        .catch(() => false);

      const missing = missingFromDlt(dlt, poisonKeys);
      const validDone = await completedValid();
      const codes = Object.fromEntries(dlt.messages.filter((m) => m.key?.startsWith('poison-')).map((m) => [m.key as string, m.headers['x-dlt-code'] ?? '']));
      figures({
        poisonSent: poison.length,
        poisonOnDlt: poison.length - missing.length,
        validSent: valid.length,
        validCompleted: validDone,
        partitionCommittedToEnd: flowing,
      });
      figures({ dltCodes: codes });

      expect({ missingFromDlt: missing, validCompleted: validDone, partitionCommittedToEnd: flowing }).toEqual({
        missingFromDlt: [],
        validCompleted: valid.length,
        partitionCommittedToEnd: true,
      });
    } finally {
      await producer.disconnect().catch(() => undefined);
      await kafka.close();
      await cluster.close();
    }
  },
};
