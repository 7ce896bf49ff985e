// npm run bench:kafka-clients — the Kafka clients for Node.js side by side on the same broker, same messages.
//
//   produce: N dispatch-shaped messages (key = job id, ~70-byte JSON value) in sends of 500, acks = all
//   consume: the same N from the earliest offset by a fresh consumer group, every partition at once, a
//            no-op handler: N ÷ (first message → last message)
//
// Clients: kafkajs (longhaul's, from node_modules), @platformatic/kafka (pure JavaScript) and
// @confluentinc/kafka-javascript (librdkafka; its KafkaJS-compatible API). The last two are not
// dependencies of longhaul: `bash bench/kafka-clients/install.sh` installs them into .bench/kafka-clients
// (the confluent client builds against a librdkafka ≥ 2.15 found with pkg-config: see that script). A
// client that cannot be loaded is reported as such, with the reason. Rounds alternate the clients' order;
// the median per client is printed. Names start with `<run id>_kafkaclients`; topics and groups are
// deleted at the end. Bounded: a watchdog ends the run.
//
// Knobs (env): KAFKA_BROKERS (127.0.0.1:9092), BENCH_KAFKA_N (50000), BENCH_KAFKA_PARTITIONS (6, longhaul's
// default), BENCH_KAFKA_ROUNDS (3), BENCH_KAFKA_CLIENTS_DIR (.bench/kafka-clients/node_modules),
// BENCH_WATCHDOG_SECONDS (300).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import kafkajs from 'kafkajs';
import { suitePrefix, watchdogMs } from './support/run-context.js';
import { median } from './support/stats.js';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const N = Number(process.env.BENCH_KAFKA_N ?? 50_000);
const PARTITIONS = Number(process.env.BENCH_KAFKA_PARTITIONS ?? 6);
const ROUNDS = Number(process.env.BENCH_KAFKA_ROUNDS ?? 3);
const CLIENTS_DIR = resolve(process.env.BENCH_KAFKA_CLIENTS_DIR ?? '.bench/kafka-clients/node_modules');
const SEND_SIZE = 500;
const DEADLINE_MS = 60_000;
const prefix = suitePrefix('kafkaclients');
const topics = [];
const groups = [];

const watchdog = setTimeout(() => {
  console.error('kafka clients bench: watchdog fired; stopping');
  process.exit(2);
}, watchdogMs(300_000));
watchdog.unref();

function messages(count) {
  return Array.from({ length: count }, () => {
    const jobId = randomUUID();
    return { key: jobId, value: JSON.stringify({ jobId, type: 'sleep' }) };
  });
}

async function waitUntil(done, what) {
  const deadline = Date.now() + DEADLINE_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Counts messages; the rate is N over the span from the first to the last. */
function counter() {
  const state = { seen: 0, first: 0, last: 0 };
  state.tick = () => {
    const now = performance.now();
    if (state.seen === 0) state.first = now;
    state.last = now;
    state.seen += 1;
  };
  state.rate = () => (state.seen / (state.last - state.first)) * 1000;
  return state;
}

const admin = new kafkajs.Kafka({ clientId: `${prefix}-admin`, brokers: BROKERS, logLevel: kafkajs.logLevel.NOTHING }).admin();

async function freshTopic(label) {
  const topic = `${prefix}_${label}_${topics.length}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: -1 }] });
  topics.push(topic);
  return topic;
}

function freshGroup(label) {
  const group = `${prefix}_${label}_group_${groups.length}`;
  groups.push(group);
  return group;
}

// ---------------------------------------------------------------------------------------------------
// The clients, each as { produce(topic, batches) → ms, consume(topic, group) → rate }

const clients = {
  kafkajs: async () => {
    const kafka = new kafkajs.Kafka({ clientId: `${prefix}-kafkajs`, brokers: BROKERS, logLevel: kafkajs.logLevel.NOTHING });
    return {
      version: kafkajsVersion(),
      async produce(topic, batches) {
        const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
        await producer.connect();
        const start = performance.now();
        for (const batch of batches) await producer.send({ topic, messages: batch, acks: -1 });
        const ms = performance.now() - start;
        await producer.disconnect();
        return ms;
      },
      async consume(topic, group) {
        const count = counter();
        const consumer = kafka.consumer({ groupId: group, sessionTimeout: 30_000, heartbeatInterval: 3000, maxWaitTimeInMs: 500 });
        await consumer.connect();
        try {
          await consumer.subscribe({ topic, fromBeginning: true });
          await consumer.run({ autoCommit: true, partitionsConsumedConcurrently: PARTITIONS, eachMessage: async () => count.tick() });
          await waitUntil(() => count.seen >= N, `kafkajs to consume ${N}`);
        } finally {
          await consumer.disconnect();
        }
        return count.rate();
      },
    };
  },

  '@platformatic/kafka': async () => {
    const lib = loadOptional('@platformatic/kafka');
    return {
      version: lib.version,
      async produce(topic, batches) {
        const producer = new lib.module.Producer({ clientId: `${prefix}-platformatic`, bootstrapBrokers: BROKERS, serializers: lib.module.stringSerializers, idempotent: true });
        const start = performance.now();
        for (const batch of batches) {
          await producer.send({ messages: batch.map((m) => ({ topic, key: m.key, value: m.value })), acks: lib.module.ProduceAcks.ALL });
        }
        const ms = performance.now() - start;
        await producer.close();
        return ms;
      },
      async consume(topic, group) {
        const count = counter();
        const consumer = new lib.module.Consumer({ groupId: group, clientId: `${prefix}-platformatic`, bootstrapBrokers: BROKERS, deserializers: lib.module.stringDeserializers });
        try {
          const stream = await consumer.consume({ topics: [topic], mode: lib.module.MessagesStreamModes.EARLIEST, autocommit: true, sessionTimeout: 30_000, heartbeatInterval: 3000, maxWaitTime: 500 });
          stream.on('data', () => count.tick());
          await waitUntil(() => count.seen >= N, `@platformatic/kafka to consume ${N}`);
          await stream.close();
        } finally {
          await consumer.close(true);
        }
        return count.rate();
      },
    };
  },

  '@confluentinc/kafka-javascript': async () => {
    const lib = loadOptional('@confluentinc/kafka-javascript');
    const { Kafka } = lib.module.KafkaJS;
    const kafka = new Kafka({ kafkaJS: { brokers: BROKERS, clientId: `${prefix}-confluent`, logLevel: lib.module.KafkaJS.logLevel.NOTHING } });
    return {
      version: lib.version,
      async produce(topic, batches) {
        const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1 } });
        await producer.connect();
        const start = performance.now();
        for (const batch of batches) await producer.send({ topic, messages: batch });
        const ms = performance.now() - start;
        await producer.disconnect();
        return ms;
      },
      async consume(topic, group) {
        const count = counter();
        const consumer = kafka.consumer({ kafkaJS: { groupId: group, fromBeginning: true, sessionTimeout: 30_000, heartbeatInterval: 3000, maxWaitTimeInMs: 500 } });
        await consumer.connect();
        try {
          await consumer.subscribe({ topic });
          await consumer.run({ partitionsConsumedConcurrently: PARTITIONS, eachMessage: async () => count.tick() });
          await waitUntil(() => count.seen >= N, `the confluent client to consume ${N}`);
        } finally {
          await consumer.disconnect();
        }
        return count.rate();
      },
    };
  },
};

function kafkajsVersion() {
  return createRequire(import.meta.url)('kafkajs/package.json').version;
}

function loadOptional(name) {
  const require = createRequire(`${CLIENTS_DIR}/`);
  return { module: require(name), version: JSON.parse(readFileSync(`${CLIENTS_DIR}/${name}/package.json`, 'utf8')).version };
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  await admin.connect();
  const loaded = {};
  const results = {};
  for (const [name, make] of Object.entries(clients)) {
    try {
      loaded[name] = await make();
      results[name] = { version: loaded[name].version, produce: [], consume: [] };
    } catch (error) {
      results[name] = { unavailable: String(error.message ?? error).split('\n')[0] };
    }
  }
  const names = Object.keys(loaded);
  console.log(`Kafka clients: ${N} messages, ${PARTITIONS} partitions, ${ROUNDS} rounds, brokers ${BROKERS.join(',')}`);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const topic = await freshTopic(name.replace(/[^a-z]/g, ''));
      const batches = [];
      const all = messages(N);
      for (let i = 0; i < N; i += SEND_SIZE) batches.push(all.slice(i, i + SEND_SIZE));
      const produceMs = await loaded[name].produce(topic, batches);
      const consumeRate = await loaded[name].consume(topic, freshGroup(name.replace(/[^a-z]/g, '')));
      results[name].produce.push((N / produceMs) * 1000);
      results[name].consume.push(consumeRate);
      console.log(`  round ${round + 1} ${name.padEnd(32)} produce ${fmt((N / produceMs) * 1000)} msg/s   consume ${fmt(consumeRate)} msg/s`);
    }
  }
  console.log('\nmedians (msg/s; ratio to kafkajs):');
  const base = results.kafkajs;
  for (const [name, r] of Object.entries(results)) {
    if (r.unavailable) {
      console.log(`  ${name.padEnd(32)} not measured: ${r.unavailable}`);
      continue;
    }
    const produce = median(r.produce);
    const consume = median(r.consume);
    console.log(
      `  ${`${name} ${r.version}`.padEnd(40)} produce ${fmt(produce).padStart(9)} (${(produce / median(base.produce)).toFixed(2)}×)   consume ${fmt(consume).padStart(9)} (${(consume / median(base.consume)).toFixed(2)}×)`,
    );
  }
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function cleanUp() {
  try {
    if (topics.length) await admin.deleteTopics({ topics });
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

try {
  await main();
} finally {
  await cleanUp();
}
process.exit(0);
