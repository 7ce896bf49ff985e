import { Inject } from '@nestjs/common';
import { LockingTaskExecutor } from './locking-task-executor.js';
import {
  assertLockConfiguration,
  type AcquiredLock,
  type LockConfiguration,
} from './scheduler-lock.provider.js';

/** Where the executor is injected on instances whose methods carry @SchedulerLock. */
const EXECUTOR = Symbol('schedulerLockExecutor');

type Locked = { [EXECUTOR]?: LockingTaskExecutor };
type LockedMethod = (this: Locked, lock: AcquiredLock) => unknown;

/**
 * ShedLock's @SchedulerLock: across all nodes the method runs on one node at a time; the others skip it.
 * The lock is held at least `lockAtLeastFor` and at most `lockAtMostFor` ms (database clock).
 * The method receives the held lock (its fencing token goes on every job it creates); callers and
 * schedulers call it with no arguments and get undefined back. Combine with @Cron/@Interval in any order.
 * The class must be a provider in a module that imports SchedulerLockModule.
 */
export function SchedulerLock(config: LockConfiguration): MethodDecorator {
  assertLockConfiguration(config);
  return (target, key, descriptor) => {
    const original = descriptor.value as unknown as LockedMethod;
    if (typeof original !== 'function')
      throw new Error(`@SchedulerLock on ${String(key)}: not a method`);
    Inject(LockingTaskExecutor)(target, EXECUTOR);

    const locked = async function (this: Locked): Promise<void> {
      const executor = this[EXECUTOR];
      if (!executor)
        throw new Error(
          `@SchedulerLock("${config.name}"): no LockingTaskExecutor injected; import SchedulerLockModule`,
        );
      await executor.executeWithLock(config, async (lock) => {
        await original.call(this, lock);
      });
    };
    // Keep metadata other decorators put on the method (@Cron/@Interval read it from the function).
    for (const metadataKey of Reflect.getMetadataKeys(original)) {
      Reflect.defineMetadata(metadataKey, Reflect.getMetadata(metadataKey, original), locked);
    }
    Object.defineProperty(locked, 'name', { value: original.name });
    descriptor.value = locked as unknown as typeof descriptor.value;
    return descriptor;
  };
}
