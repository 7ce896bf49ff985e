import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  AssignerProtocol,
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type Producer,
} from 'kafkajs';
import type { AppProcess } from './app-process.js';
import type { TestSchema } from './database.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** The shared broker started by `npm run infra:up`. Never stopped by a test. */
export const SHARED_BROKER = '127.0.0.1:9092';
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A unique name for a suite's topic, consumer group, key prefix: `lh-e2e-<random>`. */
export function uniqueName(): string {
  return `lh-e2e-${randomBytes(4).toString('hex')}`;
}

export interface KafkaNames {
  brokers: string[];
  topic: string;
  deadLetterTopic: string;
  groupId: string;
}

export function kafkaNames(brokers: string[] = [SHARED_BROKER]): KafkaNames {
  const topic = uniqueName();
  return { brokers, topic, deadLetterTopic: `${topic}.DLT`, groupId: `${topic}-workers` };
}

/** Environment of a distributed-profile app on its own topic, group and schema. */
export function distributedEnv(
  names: KafkaNames,
  schema: TestSchema,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: names.brokers.join(','),
    KAFKA_TOPIC: names.topic,
    KAFKA_GROUP_ID: names.groupId,
    KAFKA_PARTITIONS: '3',
    REDIS_URL: TEST_REDIS_URL,
    PROGRESS_KEY_PREFIX: `${names.topic}:`,
    RETRY_BASE_DELAY_MS: '200',
    ...schema.env,
    ...extra,
  };
}

export interface RecordedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Every message a probe consumer saw, in arrival order. */
export class MessageLog {
  readonly messages: RecordedMessage[] = [];

  add(message: RecordedMessage): void {
    this.messages.push(message);
  }

  matching(predicate: (message: RecordedMessage) => boolean): RecordedMessage[] {
    return this.messages.filter(predicate);
  }

  async waitFor(
    predicate: (message: RecordedMessage) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<RecordedMessage> {
    return waitFor(() => this.messages.find(predicate), {
      timeoutMs,
      what: () => `${what}; seen: ${this.describe()}`,
    });
  }

  private describe(): string {
    return JSON.stringify(
      this.messages.map((m) => ({
        topic: m.topic,
        partition: m.partition,
        offset: m.offset,
        key: m.key,
        headers: m.headers,
      })),
    ).slice(0, 3000);
  }
}

/** JSON value of a recorded message, or undefined when it is not JSON. */
export function jsonValue<T = unknown>(message: RecordedMessage): T | undefined {
  try {
    return message.value === null ? undefined : (JSON.parse(message.value) as T);
  } catch {
    return undefined;
  }
}

export interface GroupMember {
  memberId: string;
  partitions: number[];
}

/** A plain kafkajs client for tests: produces like an outside producer, records topics, inspects groups. */
export class KafkaProbe {
  readonly kafka: Kafka;
  private admin: Admin | null = null;
  private producer: Producer | null = null;
  private readonly consumers: Consumer[] = [];

  constructor(brokers: string[] = [SHARED_BROKER]) {
    this.kafka = new Kafka({
      clientId: 'longhaul-e2e-probe',
      brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 10, initialRetryTime: 200 },
    });
  }

  async send(
    topic: string,
    messages: Array<{ key?: string | null; value: string | Buffer | null; headers?: IHeaders }>,
  ): Promise<void> {
    if (!this.producer) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      this.producer = producer;
    }
    await this.producer.send({ topic, messages, acks: -1 });
  }

  /** Starts a consumer (own group, from the beginning) that records every message of `topics`. */
  async record(topics: string[]): Promise<MessageLog> {
    const log = new MessageLog();
    const consumer = this.kafka.consumer({
      groupId: `${uniqueName()}-probe`,
      maxWaitTimeInMs: 100,
    });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined)
            headers[name] = Array.isArray(value) ? String(value[0]) : String(value);
        }
        log.add({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers,
        });
        return Promise.resolve();
      },
    });
    return log;
  }

  async groupMembers(groupId: string): Promise<{ state: string; members: GroupMember[] }> {
    const admin = await this.connectedAdmin();
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (!group) return { state: 'Dead', members: [] };
    return {
      state: group.state,
      members: group.members.map((member) => {
        const decoded =
          member.memberAssignment.length > 0
            ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment)
            : null;
        return {
          memberId: member.memberId,
          partitions: Object.values(decoded?.assignment ?? {}).flat(),
        };
      }),
    };
  }

  /** Waits until the group is stable with exactly `count` members, each owning at least one partition. */
  async waitForGroup(groupId: string, count: number, timeoutMs = 60_000): Promise<GroupMember[]> {
    let last = '';
    return waitFor(
      async () => {
        const { state, members } = await this.groupMembers(groupId);
        last = JSON.stringify({ state, members });
        return state === 'Stable' &&
          members.length === count &&
          members.every((m) => m.partitions.length > 0)
          ? members
          : false;
      },
      {
        timeoutMs,
        intervalMs: 200,
        what: () => `group ${groupId} to be stable with ${count} members (last: ${last})`,
      },
    );
  }

  /** Waits until `groupId` has committed every message of `topic` (each message was handled). */
  async waitForNoLag(groupId: string, topic: string, timeoutMs = 30_000): Promise<void> {
    const admin = await this.connectedAdmin();
    let last = '';
    await waitFor(
      async () => {
        const [ends, committed] = await Promise.all([
          admin.fetchTopicOffsets(topic),
          admin.fetchOffsets({ groupId, topics: [topic] }),
        ]);
        const done = new Map(
          (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
        );
        last = JSON.stringify({
          ends: ends.map((e) => [e.partition, e.high]),
          committed: [...done.entries()],
        });
        return ends.every(
          (end) => Number(end.high) === 0 || (done.get(end.partition) ?? -1) >= Number(end.high),
        );
      },
      {
        timeoutMs,
        intervalMs: 200,
        what: () => `group ${groupId} to commit all of ${topic} (${last})`,
      },
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      ...this.consumers.map((c) => c.disconnect()),
      this.producer?.disconnect(),
      this.admin?.disconnect(),
    ]);
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}

/**
 * A second, private broker (127.0.0.1:19092) for tests that stop Kafka; the shared 9092 broker
 * is never touched. Driven by the same script as `npm run infra:up`.
 */
export const TEST_BROKER = {
  address: '127.0.0.1:19092',
  env: {
    KAFKA_PORT: '19092',
    KAFKA_CONTROLLER_PORT: '19093',
    KAFKA_STATE_DIR: '.infra/kafka-test',
  },
};

export async function testBroker(command: 'start' | 'stop' | 'reset'): Promise<void> {
  try {
    await run('bash', ['scripts/infra/kafka.sh', command], {
      env: { ...process.env, ...TEST_BROKER.env },
      timeout: 180_000,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `kafka.sh ${command} (test broker) failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
      { cause: error },
    );
  }
}

/** Keeps each app's output under test-artifacts/<suite>/ (git-ignored) for a post-mortem. */
export function keepLogs(suite: string, apps: Record<string, AppProcess | undefined>): void {
  const dir = `test-artifacts/${suite}`;
  mkdirSync(dir, { recursive: true });
  for (const [name, app] of Object.entries(apps))
    if (app) writeFileSync(`${dir}/${name}.log`, app.logs());
}
