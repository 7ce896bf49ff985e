/** What a locked task declares (ShedLock's LockConfiguration); durations in milliseconds. */
export interface LockConfiguration {
  /** The lock's row in scheduler_locks; one name per task. */
  name: string;
  /** A holder that never releases (crashed, hung) loses the lock after this long. */
  lockAtMostFor: number;
  /** The lock stays taken at least this long after acquisition, even if the task finishes sooner. */
  lockAtLeastFor: number;
}

/** A held lock, handed to the task. */
export interface AcquiredLock {
  readonly name: string;
  /** Grows with every acquisition of this name (decimal string of a bigint). Jobs a task creates carry it. */
  readonly fencingToken: string;
  /** Database-clock instants. */
  readonly lockedAt: Date;
  readonly lockUntil: Date;
  readonly lockedBy: string;
}

/**
 * The distributed lock port (ShedLock's LockProvider). Every time comes from the store's clock,
 * never the node's, so nodes with skewed clocks agree on who holds a lock.
 */
export abstract class SchedulerLockProvider {
  /** Takes the lock if it is free (never held, or its lock_until has passed); null if another holds it. */
  abstract tryAcquire(config: LockConfiguration, lockedBy: string): Promise<AcquiredLock | null>;
  /** Frees the lock no sooner than lockedAt + lockAtLeastFor; does nothing if the lock has moved on. */
  abstract release(lock: AcquiredLock, config: LockConfiguration): Promise<void>;
}

export function assertLockConfiguration(config: LockConfiguration): void {
  if (!/^[\w.:-]{1,200}$/.test(config.name))
    throw new Error(`scheduler lock name "${config.name}" must be 1-200 of [A-Za-z0-9_.:-]`);
  if (!(config.lockAtMostFor > 0))
    throw new Error(`scheduler lock "${config.name}": lockAtMostFor must be > 0`);
  if (!(config.lockAtLeastFor >= 0) || config.lockAtLeastFor > config.lockAtMostFor) {
    throw new Error(
      `scheduler lock "${config.name}": lockAtLeastFor must be between 0 and lockAtMostFor`,
    );
  }
}
