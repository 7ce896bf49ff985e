import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommitHooks } from '../../database/commit-hooks.js';
import { PgNotifications } from '../../database/pg-notifications.js';
import type { Transaction } from '../job-queue.port.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { WakeLoop } from '../../common/async/wake-loop.js';
import { settledWithin } from '../../common/async/within.js';
import { KafkaConnection } from './kafka-connection.js';
import { OUTBOX_CHANNEL, OutboxRepository, type OutboxRecord } from './outbox.repository.js';

const BATCH = 500;
const MAX_BACKOFF_MS = 5000;
const IDLE_CHECK_MS = 10_000;
const KEEP_SENT_MS = 60 * 60 * 1000;
const TOPICS_WAIT_MS = 15_000;
const FINAL_DRAIN_MS = 5000;

/**
 * Publishes committed outbox records to Kafka and marks them sent. Woken by NOTIFY on every
 * append; with the broker down it backs off and keeps the records until it is back.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly loop = new WakeLoop(
    () => this.drain(),
    (error) => this.backOff(error),
  );
  private stopped = false;
  private failures = 0;
  private lastPurge = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly kafka: KafkaConnection,
    private readonly notifications: PgNotifications,
    private readonly commitHooks: CommitHooks,
    metrics: MetricsService,
  ) {
    metrics.observedGauge(
      'longhaul_outbox_unsent',
      'Dispatch records not yet published to Kafka',
      () => outbox.unsentCount(),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // The topics exist once the node is up; with the broker down, start anyway (the relay retries).
    let topicsReady = false;
    await settledWithin(this.kafka.ensureTopics().then(() => (topicsReady = true)), TOPICS_WAIT_MS);
    if (!topicsReady) {
      this.logger.warn({ msg: 'Kafka topics not confirmed at start; the broker may be down', waitedMs: TOPICS_WAIT_MS });
    }
    await this.notifications.listen(OUTBOX_CHANNEL, () => this.loop.wake());
    this.loop.start();
  }

  /**
   * Wakes the relays of every node once `tx` commits (a NOTIFY after the commit). A wake-up lost to a
   * crash between the commit and the NOTIFY costs at most the relays' idle check.
   */
  wakeAfterCommit(tx: Transaction): void {
    this.commitHooks.afterCommit(tx, this.wakeEveryNode);
  }

  private readonly wakeEveryNode = () => this.notifications.notify(OUTBOX_CHANNEL);

  /** Runs after the workers drained (beforeApplicationShutdown): what they wrote is still published. */
  async onApplicationShutdown(): Promise<void> {
    this.loop.stop();
    await settledWithin(this.drain(), FINAL_DRAIN_MS);
    this.stopped = true;
  }

  /** Publishes until the outbox is empty; returns how long to wait before the next pass. */
  private async drain(): Promise<number> {
    while (
      !this.stopped &&
      (await this.outbox.publishBatch(BATCH, (records) => this.publish(records))) > 0
    ) {
      this.failures = 0;
    }
    this.failures = 0;
    await this.purgeOccasionally();
    return IDLE_CHECK_MS;
  }

  private backOff(error: unknown): number {
    this.failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.failures, 6));
    this.logger.warn({
      msg: 'outbox publish failed; will retry',
      attempt: this.failures,
      retryInMs: delay,
      error: String(error),
    });
    return delay;
  }

  private async publish(records: OutboxRecord[]): Promise<void> {
    const byTopic = new Map<string, OutboxRecord[]>();
    for (const record of records)
      byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
    await this.kafka.sendBatch(
      [...byTopic.entries()].map(([topic, items]) => ({
        topic,
        messages: items.map((record) => ({
          key: record.key,
          value: JSON.stringify(record.value),
          headers: record.headers,
        })),
      })),
    );
  }

  private async purgeOccasionally(): Promise<void> {
    if (Date.now() - this.lastPurge < KEEP_SENT_MS / 4) return;
    this.lastPurge = Date.now();
    await this.outbox.purgeSentOlderThan(KEEP_SENT_MS);
  }
}
