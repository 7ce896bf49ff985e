import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { JobChannels } from '../jobs/job-channels.js';
import { DueJobsSweeper } from '../queue/due-jobs-sweeper.js';
import { JobQueue } from '../queue/job-queue.port.js';
import { JobsService } from '../jobs/jobs.service.js';
import { JobExecutor } from './job-executor.js';

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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsWorkers) return;
    await this.notifications.listen(JobChannels.cancelled, (jobId) => this.executor.abort(jobId, 'cancelled'));
    await this.sweeper.start();
    await this.queue.startConsuming({
      run: (job) => this.executor.run(job),
      accept: (request) => this.jobs.submit(request),
      concurrency: this.config.workerConcurrency,
    });
    this.started = true;
    this.logger.log({ msg: 'workers started', queue: this.queue.name, concurrency: this.config.workerConcurrency });
  }

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
    this.logger.log({ msg: 'workers stopped', stillRunning: this.executor.runningCount });
  }

  /** A handler that ignores its abort signal is left behind; its lease expires and another node retries it. */
  private async waitForIdle(deadline: number): Promise<void> {
    while (this.executor.runningCount > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
