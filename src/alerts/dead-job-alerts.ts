import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Counter } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { JobStatus } from '../jobs/domain/job-status.js';
import { JOB_TRANSITIONED, type JobTransitionedEvent } from '../jobs/job-events.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { DeadJobAlertsRepository } from './dead-job-alerts.repository.js';
import type { QueueAlert, QueueAlertSink } from './queue-alert-sink.port.js';

/**
 * Counts dead jobs (a metric per type) and, with ALERT_DEAD_THRESHOLD set, raises one alert per type
 * and window once that many of its jobs died in the window: an error log line, a metric and whatever
 * sinks registered (the `queue.alert` webhook), on whichever node claims the window's row first.
 */
@Injectable()
export class DeadJobAlerts {
  private readonly logger = new Logger(DeadJobAlerts.name);
  private readonly dead: Counter<'type'>;
  private readonly alerts: Counter<'type'>;
  private readonly sinks: QueueAlertSink[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly repository: DeadJobAlertsRepository,
    metrics: MetricsService,
  ) {
    this.dead = metrics.counter('longhaul_jobs_dead_total', 'Jobs this node moved to DEAD', ['type']);
    this.alerts = metrics.counter('longhaul_queue_alerts_total', 'Dead-job threshold alerts this node raised (one per type and window across nodes)', ['type']);
  }

  /** Channels that hear of each raised alert (a webhook, say) register here. */
  register(sink: QueueAlertSink): void {
    this.sinks.push(sink);
  }

  @OnEvent(JOB_TRANSITIONED)
  onTransition({ job, to }: JobTransitionedEvent): void {
    if (to !== JobStatus.DEAD) return;
    this.dead.inc({ type: job.type });
    if (this.config.operator.alertDeadThreshold > 0) void this.check(job.type);
  }

  private async check(type: string): Promise<void> {
    const { alertDeadThreshold: threshold, alertDeadWindowMinutes: windowMinutes } = this.config.operator;
    try {
      const alert = await this.repository.transaction(async (tx) => {
        const claimed = await this.repository.claimAlert(type, windowMinutes, threshold, tx);
        if (!claimed) return null;
        const raised: QueueAlert = { jobType: type, deadCount: claimed.deadCount, threshold, windowMinutes, windowStart: claimed.windowStart };
        for (const sink of this.sinks) await sink.record(raised, tx);
        return raised;
      });
      if (!alert) return;
      for (const sink of this.sinks) sink.afterCommit?.(alert);
      this.alerts.inc({ type });
      this.logger.error({
        msg: 'queue alert: dead jobs over the threshold',
        alert: 'queue.alert',
        type,
        deadCount: alert.deadCount,
        threshold,
        windowMinutes,
        windowStart: alert.windowStart.toISOString(),
      });
    } catch (error) {
      this.logger.warn({ msg: 'could not check the dead-job alert threshold', type, error: String(error) });
    }
  }
}
