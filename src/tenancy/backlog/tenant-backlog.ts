import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { BacklogCounter } from './backlog-counter.js';
import { TenantBacklogRepository } from './tenant-backlog.repository.js';

/** How often the per-tenant counts are read from the database. */
const REFRESH_MS = 1000;

/** MAX_QUEUED_JOBS_PER_TENANT: HTTP submissions past a tenant's backlog of unfinished jobs are refused (429). */
@Injectable()
export class TenantBacklog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantBacklog.name);
  private readonly counter: BacklogCounter;
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: TenantBacklogRepository,
  ) {
    this.counter = new BacklogCounter(config.maxQueuedJobsPerTenant);
  }

  get enabled(): boolean {
    return this.config.maxQueuedJobsPerTenant > 0 && this.config.runsApi;
  }

  /** Seconds a refused client should wait. */
  readonly retryAfterSeconds = 5;

  /** true: the submission may go ahead (and is counted); false: the tenant is at its limit. */
  admit(tenant: string): boolean {
    if (!this.enabled) return true;
    if (!this.counter.hasRoom(tenant)) return false;
    this.counter.submitted(tenant);
    return true;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    const beforeRead = this.counter.snapshotAdmitted();
    try {
      this.counter.refreshed(await this.repository.unfinishedByTenant(), beforeRead);
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ msg: 'tenant backlog counts could not be refreshed; using the last ones', error: String(error) });
      this.failing = true;
    }
  }
}
