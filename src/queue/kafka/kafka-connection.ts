import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { AppConfig } from '../../config/app-config.js';
import { createKafka } from './kafka-client.js';
import { ensureTopics } from './kafka-topics.js';

/** One Kafka client and one idempotent producer per process, connected on first use. */
@Injectable()
export class KafkaConnection implements OnApplicationShutdown {
  readonly kafka: Kafka;
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;
  private topicsReady: Promise<void> | null = null;

  constructor(private readonly config: AppConfig) {
    this.kafka = createKafka(config);
  }

  ensureTopics(): Promise<void> {
    this.topicsReady ??= ensureTopics(
      this.kafka,
      [this.config.kafkaTopic, this.config.kafkaDeadLetterTopic],
      this.config.kafkaPartitions,
    ).catch((error: unknown) => {
      this.topicsReady = null;
      throw error;
    });
    return this.topicsReady;
  }

  async send(topic: string, messages: Message[]): Promise<void> {
    const producer = await this.connectedProducer();
    await producer.send({ topic, messages, acks: -1 });
  }

  async sendBatch(batches: Array<{ topic: string; messages: Message[] }>): Promise<void> {
    const producer = await this.connectedProducer();
    await producer.sendBatch({ topicMessages: batches, acks: -1 });
  }

  async onApplicationShutdown(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private connectedProducer(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      await this.ensureTopics();
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producer.on('producer.disconnect', () => {
        if (this.producer === producer) this.producer = null;
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }
}
