import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { log, waitFor } from './util.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

function benchKafka(infra, clientId) {
  return new Kafka({ clientId, brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
}

/**
 * The "worker hop" baseline: N messages shaped like longhaul's dispatch records on a fresh topic with the
 * same partition count, consumed by a group with the consumer timeouts longhaul uses, every partition
 * consumed concurrently, and an eachMessage that does nothing. Rate = N / (first message → last message).
 */
export async function benchRawKafkaLoop(infra, names, plan) {
  const kafka = benchKafka(infra, names.rawTopic);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: names.rawTopic, numPartitions: plan.partitions, replicationFactor: -1 }] });
  } finally {
    await admin.disconnect();
  }

  log(`raw kafkajs: producing ${plan.rawMessages} messages to ${names.rawTopic}`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let offset = 0; offset < plan.rawMessages; offset += 500) {
      const messages = Array.from({ length: Math.min(500, plan.rawMessages - offset) }, () => {
        const jobId = randomUUID();
        return { key: jobId, value: JSON.stringify({ jobId, type: 'sleep' }), headers: {} };
      });
      await producer.send({ topic: names.rawTopic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }

  log('raw kafkajs: consuming with a no-op eachMessage');
  // The consumer settings of src/queue/kafka/kafka-job-queue.ts (consumerTimeouts() at the default 30 s lease).
  const consumer = kafka.consumer({ groupId: names.rawGroup, sessionTimeout: 30_000, heartbeatInterval: 3000, maxWaitTimeInMs: 500 });
  let seen = 0;
  let first = 0;
  let last = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: names.rawTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: plan.partitions,
      eachMessage: async () => {
        const now = performance.now();
        if (seen === 0) first = now;
        last = now;
        seen += 1;
      },
    });
    await waitFor(() => seen >= plan.rawMessages, { timeoutMs: plan.timeoutMs, intervalMs: 10, what: () => `${plan.rawMessages} raw messages (seen ${seen})` });
  } finally {
    await consumer.disconnect();
  }
  const spanMs = last - first;
  return { jobs: seen, spanMs, rate: (seen / spanMs) * 1000, settings: { partitions: plan.partitions, partitionsConsumedConcurrently: plan.partitions, maxWaitTimeInMs: 500 } };
}
