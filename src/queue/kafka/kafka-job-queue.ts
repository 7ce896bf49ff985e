import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Consumer, EachMessagePayload, KafkaMessage } from 'kafkajs';
import { AppConfig } from '../../config/app-config.js';
import { ProblemException } from '../../common/problem/problem.exception.js';
import { JobStatus } from '../../jobs/domain/job-status.js';
import { JOB_TRANSITIONED, JobEvents, type JobTransitionedEvent } from '../../jobs/job-events.js';
import type { Job } from '../../jobs/job.js';
import { JobsRepository } from '../../jobs/jobs.repository.js';
import { JobQueue, type ConsumeOptions, type Transaction } from '../job-queue.port.js';
import { workerId } from '../worker-id.js';
import { consumerTimeouts } from './consumer-timeouts.js';
import { DeadLetterHeaders, originHeaders, type MessageOrigin } from './dead-letter-headers.js';
import { KafkaConnection } from './kafka-connection.js';
import { parseJobMessage } from './parse-job-message.js';
import { OutboxRepository } from './outbox.repository.js';
import { SlotGate } from './slot-gate.js';
import { kafkaMessageTenant } from '../../tenancy/kafka-tenant-header.js';

const CONNECT_RETRY_MS = 2000;

/**
 * Distributed profile: dispatches go through the transactional outbox to the jobs topic (key = job id);
 * consumers in one group claim each job in PostgreSQL before its offset is committed, then run it
 * outside the partition's critical path, so a long job never blocks a partition.
 */
@Injectable()
export class KafkaJobQueue extends JobQueue {
  readonly name = 'kafka';
  private readonly logger = new Logger(KafkaJobQueue.name);
  private consumer: Consumer | null = null;
  private options: ConsumeOptions | null = null;
  private gate: SlotGate | null = null;
  private readonly origins = new Map<string, MessageOrigin>();

  constructor(
    private readonly config: AppConfig,
    private readonly connection: KafkaConnection,
    private readonly outbox: OutboxRepository,
    private readonly jobs: JobsRepository,
    private readonly events: JobEvents,
  ) {
    super();
  }

  async enqueued(tx: Transaction, jobs: ReadonlyArray<Pick<Job, 'id' | 'type'>>): Promise<void> {
    await this.outbox.append(
      tx,
      jobs.map((job) => ({ topic: this.config.kafkaTopic, key: job.id, value: { jobId: job.id, type: job.type }, headers: {} })),
    );
  }

  /**
   * Connecting happens in the background and is retried while the broker is down, so a worker node
   * starts (and drains its outbox later) even during a broker outage. The topics are made at start
   * by the relay (see OutboxRelay), on every node.
   */
  startConsuming(options: ConsumeOptions): Promise<void> {
    this.options = options;
    this.gate = new SlotGate(options.concurrency);
    this.connectSoon(0);
    return Promise.resolve();
  }

  private connectSoon(delayMs: number): void {
    setTimeout(() => {
      if (!this.options || this.consumer) return;
      this.connect().catch((error: unknown) => {
        this.logger.warn({ msg: 'Kafka consumer could not start; retrying', retryInMs: CONNECT_RETRY_MS, error: String(error) });
        this.connectSoon(CONNECT_RETRY_MS);
      });
    }, delayMs).unref();
  }

  private async connect(): Promise<void> {
    await this.connection.ensureTopics();
    const consumer = this.connection.kafka.consumer({
      groupId: this.config.kafkaGroupId,
      ...consumerTimeouts(this.config.jobLeaseMs),
      maxWaitTimeInMs: 500,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart || !this.options) return;
      this.logger.error({ msg: 'consumer crashed; restarting', error: String(event.payload.error) });
      if (this.consumer === consumer) this.consumer = null;
      void consumer.disconnect().catch(() => undefined);
      this.connectSoon(CONNECT_RETRY_MS);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.config.kafkaTopic, fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        partitionsConsumedConcurrently: Math.max(1, Math.min(this.requireOptions().concurrency, this.config.kafkaPartitions)),
        eachMessage: (payload) => this.handle(payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    if (!this.options) {
      await consumer.disconnect(); // stopConsuming() ran while we were connecting
      return;
    }
    this.consumer = consumer;
    this.logger.log({ msg: 'Kafka consumer running', topic: this.config.kafkaTopic, group: this.config.kafkaGroupId });
  }

  async stopConsuming(): Promise<void> {
    this.options = null;
    this.gate?.close();
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
  }

  /** A job that went DEAD while dispatched through Kafka leaves a record on the dead letter topic. */
  @OnEvent(JOB_TRANSITIONED)
  async onTransition(event: JobTransitionedEvent): Promise<void> {
    if (event.to !== JobStatus.DEAD) return;
    const origin = this.origins.get(event.job.id);
    this.origins.delete(event.job.id);
    const job = event.job;
    await this.jobs
      .transaction((tx) =>
        this.outbox.append(tx, [
          {
            topic: this.config.kafkaDeadLetterTopic,
            key: job.id,
            value: { jobId: job.id, type: job.type, payload: job.payload, maxAttempts: job.maxAttempts },
            headers: {
              [DeadLetterHeaders.reason]: job.lastError?.message ?? 'attempts exhausted',
              [DeadLetterHeaders.code]: job.lastError?.code ?? 'DEAD',
              [DeadLetterHeaders.attempts]: String(job.attempts),
              [DeadLetterHeaders.jobId]: job.id,
              [DeadLetterHeaders.failedAt]: new Date().toISOString(),
              ...originHeaders(origin),
            },
          },
        ]),
      )
      .catch((error: unknown) => this.logger.error({ msg: 'could not record a dead job on the DLT', jobId: job.id, error: String(error) }));
  }

  private async handle({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const origin: MessageOrigin = { topic, partition, offset: message.offset };
    const parsed = await parseJobMessage(message.value);
    if (!parsed.ok) return this.deadLetter(message, origin, parsed.code, parsed.reason);
    const request = parsed.message;

    // The common case (our own dispatch of a QUEUED job) costs one statement: the conditional claim.
    if (request.jobId) {
      if (await this.claimAndRun(request.jobId, request.type, origin, heartbeat)) return;
      const existing = await this.jobs.findById(request.jobId);
      if (existing && existing.type !== request.type) {
        return this.deadLetter(message, origin, 'TYPE_MISMATCH', `job ${existing.id} is of type ${existing.type}, not ${request.type}`);
      }
      if (existing) return; // already claimed, finished or cancelled: a duplicate or stale dispatch
    }
    try {
      await this.requireOptions().accept({
        ...request,
        owner: 'kafka',
        tenant: kafkaMessageTenant(message.headers, this.config.kafkaDefaultTenant),
        idempotencyKey: request.idempotencyKey ?? (request.jobId ? undefined : `kafka:${topic}:${partition}:${message.offset}`),
      });
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() < 500) {
        return this.deadLetter(message, origin, error.problem.type.split('/').pop() ?? 'REJECTED', error.problem.detail ?? error.message);
      }
      throw error;
    }
  }

  /**
   * Waits for a free slot (heart-beating so the group keeps us), claims the job if it is QUEUED and of
   * this type, and starts it without awaiting it. False when there was nothing to claim.
   */
  private async claimAndRun(jobId: string, type: string, origin: MessageOrigin, heartbeat: () => Promise<void>): Promise<boolean> {
    const gate = this.requireGate();
    while (!gate.tryAcquire()) {
      await gate.waitForSlot(consumerTimeouts(this.config.jobLeaseMs).heartbeatInterval);
      await heartbeat();
    }
    let started = false;
    try {
      const claimed = await this.jobs.claimById(jobId, type, this.config.jobLeaseMs, workerId);
      if (!claimed) return false;
      this.events.transitioned(claimed, claimed.previousStatus);
      this.origins.set(jobId, origin);
      started = true;
      void this.requireOptions()
        .run(claimed)
        .catch((error: unknown) => this.logger.error({ msg: 'job run crashed', jobId, error: String(error) }))
        .finally(() => {
          gate.release();
          setTimeout(() => this.origins.delete(jobId), 1000).unref();
        });
      return true;
    } finally {
      if (!started) gate.release();
    }
  }

  private async deadLetter(message: KafkaMessage, origin: MessageOrigin, code: string, reason: string): Promise<void> {
    this.logger.warn({ msg: 'message sent to the dead letter topic', code, reason, ...origin });
    await this.connection.send(this.config.kafkaDeadLetterTopic, [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DeadLetterHeaders.reason]: reason.slice(0, 1000),
          [DeadLetterHeaders.code]: code,
          [DeadLetterHeaders.attempts]: '0',
          [DeadLetterHeaders.failedAt]: new Date().toISOString(),
          ...originHeaders(origin),
        },
      },
    ]);
  }

  private requireOptions(): ConsumeOptions {
    if (!this.options) throw new Error('the Kafka consumer is stopping');
    return this.options;
  }

  private requireGate(): SlotGate {
    if (!this.gate) throw new Error('the Kafka consumer is not started');
    return this.gate;
  }
}
