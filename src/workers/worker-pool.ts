import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { JobChannels } from '../jobs/job-channels.js';
import { DueJobsSweeper } from '../queue/due-jobs-sweeper.js';
import { JobQueue } from '../queue/job-queue.port.js';
import { workerId } from '../common/worker-id.js';
import { JobsService } from '../jobs/jobs.service.js';
import { JobExecutor } from './job-executor.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { WorkerPresence } from './worker-presence.js';

const ABORT_WAIT_MS = 5000;

/** Starts consuming once the app (and its database) is up; drains on shutdown. */
@Injectable()
export class WorkerPool implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerPool.name);
  private started = false;

  constructor(
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
    private readonly sweeper: DueJobsSweeper,
    private readonly executor: JobExecutor,
    private readonly notifications: PgNotifications,
    private readonly jobs: JobsService,
    private readonly registry: JobHandlerRegistry,
    private readonly presence: WorkerPresence,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const types = this.registry.types();
    await this.notifications.listen(JobChannels.cancelled, (jobId) => this.executor.abort(jobId, 'cancelled'));
    await this.presence.start(workerId, types);
    await this.sweeper.start();
    await this.queue.startConsuming({
      run: (job) => this.executor.run(job),
      accept: (request) => this.jobs.submit(request),
      concurrency: this.config.workerConcurrency,
      claim: { leaseMs: this.config.jobLeaseMs, workerId, types },
    });
    this.started = true;
    this.logger.log({ msg: 'workers started', queue: this.queue.name, concurrency: this.config.workerConcurrency, types });
  }

  /**
   * Stops claiming, lets running jobs finish within SHUTDOWN_GRACE_MS, then aborts the rest: each is
   * released as an interruption (it backs off and counts towards JOB_MAX_INTERRUPTIONS). Relays stop
   * after this (onApplicationShutdown), so the transitions made here still reach webhooks and Kafka.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.sweeper.stop();
    await this.queue.stopConsuming();
    const deadline = Date.now() + this.config.shutdownGraceMs;
    await this.waitForIdle(deadline);
    if (this.executor.runningCount > 0) {
      this.logger.warn({ msg: 'grace period over; releasing running jobs for a later attempt', running: this.executor.runningCount });
      this.executor.abortAll('shutdown');
      await this.waitForIdle(Date.now() + ABORT_WAIT_MS);
    }
    await this.presence.stop(workerId);
    this.logger.log({ msg: 'workers stopped', stillRunning: this.executor.runningCount });
  }

  /** A handler that ignores its abort signal is left behind; its lease expires and another node retries it. */
  private async waitForIdle(deadline: number): Promise<void> {
    while (this.executor.runningCount > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
