import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import type { Gauge } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { createKafka } from '../queue/kafka/kafka-client.js';
import { BacklogRepository, UNFINISHED_STATUSES } from './backlog.repository.js';
import { readConsumerLag } from './consumer-lag.js';
import { MetricsService } from './metrics.service.js';

export const CONSUMER_LAG_METRIC = 'longhaul_kafka_consumer_lag';
export const JOBS_METRIC = 'longhaul_jobs';
export const OLDEST_QUEUED_METRIC = 'longhaul_oldest_queued_job_age_seconds';

/**
 * What an autoscaler reads from /metrics: the consumer group's lag per partition (Kafka admin API),
 * unfinished jobs by status and type, and the age of the oldest queued job. Refreshed every
 * QUEUE_METRICS_INTERVAL_MS rather than per scrape, so scrapes cost nothing. Exported by api,
 * scheduler and all-role nodes: worker-only nodes are the ones being scaled (perhaps to few), and the
 * values are cluster-wide anyway (take `max` over instances).
 */
@Injectable()
export class AutoscalingGauges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AutoscalingGauges.name);
  private readonly lag: Gauge<'topic' | 'partition' | 'group'>;
  private readonly jobs: Gauge<'status' | 'type'>;
  private readonly oldestQueued: Gauge;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private admin: Admin | null = null;
  private readonly failing = new Set<string>();
  /** Types seen so far: their series drop to 0 rather than vanish when their jobs are done. */
  private readonly types = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly backlog: BacklogRepository,
    metrics: MetricsService,
  ) {
    this.lag = metrics.gauge(CONSUMER_LAG_METRIC, 'Messages of the jobs topic not yet taken by the worker group, per partition', ['topic', 'partition', 'group']);
    this.jobs = metrics.gauge(JOBS_METRIC, 'Unfinished jobs (PENDING, QUEUED, RUNNING, FAILED awaiting retry) by status and type', ['status', 'type']);
    this.oldestQueued = metrics.gauge(OLDEST_QUEUED_METRIC, 'Seconds the longest-waiting QUEUED job has waited (0 when none waits)');
  }

  /** The first values come one interval after start, when the node's topics surely exist. */
  onApplicationBootstrap(): void {
    if (this.config.appRole === 'worker' || this.config.queueMetricsIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    }, this.config.queueMetricsIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing?.catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    await Promise.all([this.attempt('jobs', () => this.refreshBacklog()), this.attempt('lag', () => this.refreshLag())]);
  }

  private async refreshBacklog(): Promise<void> {
    const [counts, oldest] = await Promise.all([this.backlog.countsByStatusAndType(), this.backlog.oldestQueuedAgeSeconds()]);
    for (const row of counts) this.types.add(row.type);
    for (const status of UNFINISHED_STATUSES) {
      for (const type of this.types) {
        this.jobs.set({ status, type }, counts.find((row) => row.status === status && row.type === type)?.count ?? 0);
      }
    }
    this.oldestQueued.set(oldest);
  }

  private async refreshLag(): Promise<void> {
    if (this.config.profile !== 'distributed') return;
    const { kafkaTopic: topic, kafkaGroupId: group } = this.config;
    const partitions = await readConsumerLag(await this.connectedAdmin(), group, topic);
    this.lag.reset();
    for (const { partition, lag } of partitions) this.lag.set({ topic, partition: String(partition), group }, lag);
  }

  /** Runs one refresh; on failure, stale values are dropped (an autoscaler then holds) and it is logged once. */
  private async attempt(what: 'jobs' | 'lag', refresh: () => Promise<void>): Promise<void> {
    try {
      await refresh();
      if (this.failing.delete(what)) this.logger.log({ msg: 'autoscaling gauges readable again', gauges: what });
    } catch (error) {
      (what === 'lag' ? this.lag : this.jobs).reset();
      if (what === 'lag') await this.dropAdmin();
      if (!this.failing.has(what)) this.logger.warn({ msg: 'autoscaling gauges could not be refreshed', gauges: what, error: String(error) });
      this.failing.add(what);
    }
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = createKafka(this.config).admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
