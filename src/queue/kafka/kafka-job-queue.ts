import { Injectable, Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { AppConfig } from '../../config/app-config.js';
import { JobEvents } from '../../jobs/job-events.js';
import type { Job } from '../../jobs/job.js';
import { JobsRepository } from '../../jobs/jobs.repository.js';
import { WorkerPresenceRepository } from '../../jobs/worker-presence.repository.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { JobQueue, type ConsumeOptions, type Transaction } from '../job-queue.port.js';
import { consumerTimeouts } from './consumer-timeouts.js';
import { JobDispatch } from './job-dispatch.js';
import { KafkaConnection } from './kafka-connection.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRepository } from './outbox.repository.js';
import { PoisonMessages } from './poison-messages.js';
import { DeadMessagesRepository } from '../dead-messages/dead-messages.repository.js';
import { SlotGate } from './slot-gate.js';
import { StrandedJobsRescuer } from './stranded-jobs-rescuer.js';

const CONNECT_RETRY_MS = 2000;
/** How long a batch waits for a run slot before its partition pauses. */
const SLOT_WAIT_MS = 500;
/** The fewest messages of a batch looked at per pass (see consume). */
const MIN_WINDOW = 32;

/**
 * Distributed profile: dispatches go through the transactional outbox to the jobs topic (key = job id).
 * Consumers in one group claim each job in PostgreSQL before its offset is committed and run it off
 * the partition. A member whose slots are all busy pauses the partition instead of blocking it, and
 * idle members claim what waits too long straight from PostgreSQL (see StrandedJobsRescuer).
 */
@Injectable()
export class KafkaJobQueue extends JobQueue {
  readonly name = 'kafka';
  private readonly logger = new Logger(KafkaJobQueue.name);
  private consumer: Consumer | null = null;
  private options: ConsumeOptions | null = null;
  private gate: SlotGate | null = null;
  private dispatch: JobDispatch | null = null;
  private rescuer: StrandedJobsRescuer | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly connection: KafkaConnection,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly jobs: JobsRepository,
    private readonly events: JobEvents,
    private readonly presence: WorkerPresenceRepository,
    private readonly metrics: MetricsService,
    private readonly deadMessages: DeadMessagesRepository,
  ) {
    super();
  }

  async enqueued(tx: Transaction, jobs: ReadonlyArray<Pick<Job, 'id' | 'type'>>): Promise<void> {
    await this.outbox.append(
      tx,
      jobs.map((job) => ({ topic: this.config.kafkaTopic, key: job.id, value: { jobId: job.id, type: job.type }, headers: {} })),
    );
    this.relay.wakeAfterCommit(tx);
  }

  /**
   * Connecting happens in the background and is retried while the broker is down, so a worker node
   * starts (and drains its outbox later) even during a broker outage; meanwhile the rescuer runs jobs
   * straight from PostgreSQL. The topics are made at start by the relay (see OutboxRelay), on every node.
   */
  startConsuming(options: ConsumeOptions): Promise<void> {
    this.options = options;
    const gate = new SlotGate(options.concurrency);
    const dispatch = new JobDispatch({
      options,
      gate,
      jobs: this.jobs,
      events: this.events,
      poison: new PoisonMessages(this.connection, this.config.kafkaDeadLetterTopic, this.deadMessages),
      maxMessageBytes: this.config.reliability.kafkaMaxMessageBytes,
      defaultTenant: this.config.kafkaDefaultTenant,
      someoneRuns: (type) => this.presence.someoneRuns(type),
    });
    this.gate = gate;
    this.dispatch = dispatch;
    this.rescuer = new StrandedJobsRescuer({
      jobs: this.jobs,
      events: this.events,
      gate,
      claim: options.claim,
      dispatchTimeoutMs: this.config.reliability.dispatchTimeoutMs,
      start: (job) => dispatch.start(job),
      rescued: this.metrics.counter('longhaul_stranded_jobs_rescued_total', 'QUEUED jobs no dispatch reached in time, claimed straight from PostgreSQL'),
    });
    this.rescuer.start();
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
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, Math.min(this.requireOptions().concurrency, this.config.kafkaPartitions)),
        eachBatch: (payload) => this.consume(payload),
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

  /**
   * Messages in order; each offset is resolved only once its job's state is durable. When the run slots
   * are full it waits briefly for one (short jobs free them in milliseconds); past that the partition
   * pauses (the unhandled messages come again after resume) so it never blocks behind long jobs, while
   * idle members take its jobs from PostgreSQL.
   */
  private async consume({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const dispatch = this.dispatch;
    const gate = this.gate;
    if (!dispatch || !gate) return;
    const running = () => isRunning() && !gate.isClosed;
    const items = batch.messages.map((message) => ({ origin: { topic: batch.topic, partition: batch.partition, offset: message.offset }, message }));
    let next = 0;
    while (next < items.length) {
      if (!running() || isStale()) return;
      // A window a little wider than the free slots: a backlog of thousands is not re-read for every freed slot.
      const window = items.slice(next, next + Math.max(MIN_WINDOW, gate.free * 2));
      const handled = await dispatch.handleBatch(window, heartbeat, running);
      if (handled > 0) resolveOffset(items[next + handled - 1].message.offset);
      next += handled;
      await heartbeat();
      // Only a dispatch that found no free slot waits (then pauses); what needs no slot goes on at once.
      const slotsRanOut = handled < window.length;
      if (slotsRanOut && next < items.length && !(await gate.waitForRelease(SLOT_WAIT_MS))) {
        const resume = pause();
        gate.onRelease(resume);
        return;
      }
    }
  }

  async stopConsuming(): Promise<void> {
    this.options = null;
    this.rescuer?.stop();
    this.gate?.close();
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
    // Every claim that was under way has handed its job to the runner: none is left RUNNING unrun.
    await this.dispatch?.settled();
  }

  private requireOptions(): ConsumeOptions {
    if (!this.options) throw new Error('the Kafka consumer is stopping');
    return this.options;
  }
}
