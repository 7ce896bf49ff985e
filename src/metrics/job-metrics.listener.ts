import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Counter, Histogram } from 'prom-client';
import { JobStatus } from '../jobs/domain/job-status.js';
import { JOB_TRANSITIONED, type JobTransitionedEvent } from '../jobs/job-events.js';
import { MetricsService } from './metrics.service.js';

/** Counts every state change this node makes and times finished jobs (start of first attempt → end). */
@Injectable()
export class JobMetricsListener {
  private readonly transitions: Counter<'type' | 'to'>;
  private readonly durations: Histogram<'type' | 'status'>;

  constructor(metrics: MetricsService) {
    this.transitions = metrics.counter('longhaul_job_transitions_total', 'Job state changes made by this node', ['type', 'to']);
    this.durations = metrics.histogram(
      'longhaul_job_duration_seconds',
      'From the first attempt’s start to the terminal state',
      ['type', 'status'],
      [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 7200],
    );
  }

  @OnEvent(JOB_TRANSITIONED)
  record({ job, to }: JobTransitionedEvent): void {
    this.transitions.inc({ type: job.type, to });
    const terminal = to === JobStatus.COMPLETED || to === JobStatus.DEAD;
    if (terminal && job.startedAt && job.finishedAt) {
      this.durations.observe({ type: job.type, status: to }, (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000);
    }
  }
}
