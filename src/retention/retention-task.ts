import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { LockingTaskExecutor } from '../scheduler/lock/locking-task-executor.js';
import { RetentionRegistry } from './retention-registry.js';

export const RETENTION_LOCK = 'retention';
const BATCH = 500;
/** One pass deletes at most this many batches per kind, so a huge backlog cannot hold the lock for long. */
const MAX_BATCHES = 200;

/**
 * Every RETENTION_INTERVAL_MS, on the one scheduler node holding the `retention` lock, deletes what
 * has expired, in small batches (each its own statement, using the retention indexes).
 */
@Injectable()
export class RetentionTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionTask.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: RetentionRegistry,
    private readonly executor: LockingTaskExecutor,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.retention.intervalMs);
    this.timer.unref();
    void this.runOnce();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass under the lock; returns what each pruner deleted (null when another node holds the lock). */
  async runOnce(): Promise<Record<string, number> | null> {
    try {
      const outcome = await this.executor.executeWithLock(
        { name: RETENTION_LOCK, lockAtMostFor: 10 * 60_000, lockAtLeastFor: Math.min(60_000, this.config.retention.intervalMs / 2) },
        () => this.prune(),
      );
      return outcome.executed ? outcome.result : null;
    } catch (error) {
      this.logger.warn({ msg: 'retention pass failed; it runs again at the next interval', error: String(error) });
      return null;
    }
  }

  private async prune(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const pruner of this.registry.all()) {
      let total = 0;
      for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
        const count = await pruner.prune(BATCH);
        total += count;
        if (count < BATCH) break;
      }
      deleted[pruner.name] = total;
    }
    if (Object.values(deleted).some((count) => count > 0)) this.logger.log({ msg: 'retention pass', deleted });
    return deleted;
  }
}
