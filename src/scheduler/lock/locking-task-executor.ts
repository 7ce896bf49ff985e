import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { workerId } from '../../common/worker-id.js';
import {
  SchedulerLockProvider,
  type AcquiredLock,
  type LockConfiguration,
} from './scheduler-lock.provider.js';

export type LockedTaskOutcome<T> = { executed: true; result: T } | { executed: false };

/** How long shutdown waits for locked tasks in flight before the database pool closes. */
const SHUTDOWN_WAIT_MS = 10_000;

/** Runs a task only if this node takes its lock; otherwise skips it (ShedLock's LockingTaskExecutor). */
@Injectable()
export class LockingTaskExecutor implements BeforeApplicationShutdown {
  private readonly logger = new Logger('SchedulerLock');
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly locks: SchedulerLockProvider) {}

  async executeWithLock<T>(
    config: LockConfiguration,
    task: (lock: AcquiredLock) => Promise<T>,
  ): Promise<LockedTaskOutcome<T>> {
    if (this.stopping) return { executed: false };
    const lock = await this.locks.tryAcquire(config, workerId);
    if (!lock) {
      this.logger.debug({ msg: 'lock held elsewhere; skipping task', lock: config.name });
      return { executed: false };
    }
    const run = this.runAndRelease(config, lock, task);
    this.inFlight.add(run);
    try {
      return { executed: true, result: await run };
    } finally {
      this.inFlight.delete(run);
    }
  }

  /** Lets tasks in flight finish and release their locks while the database is still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  private async runAndRelease<T>(
    config: LockConfiguration,
    lock: AcquiredLock,
    task: (lock: AcquiredLock) => Promise<T>,
  ): Promise<T> {
    try {
      return await task(lock);
    } finally {
      await this.locks.release(lock, config).catch((error: unknown) => {
        // Not fatal: the lock frees itself at lock_until (lockAtMostFor).
        this.logger.warn({ msg: 'releasing the lock failed', lock: config.name, error: String(error) });
      });
    }
  }
}
