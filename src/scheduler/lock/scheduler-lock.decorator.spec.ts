import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { LockingTaskExecutor } from './locking-task-executor.js';
import { SchedulerLock } from './scheduler-lock.decorator.js';
import {
  SchedulerLockProvider,
  type AcquiredLock,
  type LockConfiguration,
} from './scheduler-lock.provider.js';

class FakeLocks extends SchedulerLockProvider {
  held = new Set<string>();
  token = 0;
  released: string[] = [];

  tryAcquire(config: LockConfiguration, lockedBy: string): Promise<AcquiredLock | null> {
    if (this.held.has(config.name)) return Promise.resolve(null);
    this.held.add(config.name);
    this.token += 1;
    const now = new Date();
    return Promise.resolve({
      name: config.name,
      fencingToken: String(this.token),
      lockedAt: now,
      lockUntil: now,
      lockedBy,
    });
  }

  release(lock: AcquiredLock): Promise<void> {
    this.held.delete(lock.name);
    this.released.push(lock.fencingToken);
    return Promise.resolve();
  }
}

@Injectable()
class Task {
  calls: AcquiredLock[] = [];

  @Interval('task', 60_000)
  @SchedulerLock({ name: 'task', lockAtMostFor: 1000, lockAtLeastFor: 0 })
  run(lock: AcquiredLock): Promise<void> {
    this.calls.push(lock);
    return Promise.resolve();
  }

  @SchedulerLock({ name: 'reversed', lockAtMostFor: 1000, lockAtLeastFor: 0 })
  @Interval('reversed', 30_000)
  reversed(): Promise<void> {
    return Promise.resolve();
  }

  @SchedulerLock({ name: 'failing', lockAtMostFor: 1000, lockAtLeastFor: 0 })
  fail(): Promise<void> {
    return Promise.reject(new Error('task failed'));
  }
}

describe('@SchedulerLock', () => {
  async function setUp() {
    const locks = new FakeLocks();
    const module = await Test.createTestingModule({
      providers: [Task, LockingTaskExecutor, { provide: SchedulerLockProvider, useValue: locks }],
    }).compile();
    return { locks, task: module.get(Task) };
  }

  it('runs the method with the held lock and releases it afterwards', async () => {
    const { locks, task } = await setUp();
    await (task.run as () => Promise<void>)();
    expect(task.calls.map((lock) => [lock.name, lock.fencingToken])).toEqual([['task', '1']]);
    expect(locks.released).toEqual(['1']);
  });

  it('skips the method while another holder has the lock', async () => {
    const { locks, task } = await setUp();
    locks.held.add('task');
    await (task.run as () => Promise<void>)();
    expect(task.calls).toEqual([]);
  });

  it('releases the lock when the task throws, and rethrows', async () => {
    const { locks, task } = await setUp();
    await expect(task.fail()).rejects.toThrow('task failed');
    expect(locks.held.has('failing')).toBe(false);
  });

  it('keeps the scheduling metadata of @Interval on the wrapped method, in either decorator order', () => {
    expect(Reflect.getMetadata('SCHEDULE_INTERVAL_OPTIONS', Task.prototype.run)).toEqual({
      timeout: 60_000,
    });
    expect(Reflect.getMetadata('SCHEDULE_INTERVAL_OPTIONS', Task.prototype.reversed)).toEqual({
      timeout: 30_000,
    });
  });

  it('rejects a configuration where lockAtLeastFor exceeds lockAtMostFor', () => {
    expect(() => SchedulerLock({ name: 'x', lockAtMostFor: 10, lockAtLeastFor: 20 })).toThrow(
      /lockAtLeastFor/,
    );
  });

  it('lets a running task finish and release on shutdown, and starts no new ones', async () => {
    const locks = new FakeLocks();
    const executor = new LockingTaskExecutor(locks);
    let finish!: () => void;
    const running = executor.executeWithLock(
      { name: 'slow', lockAtMostFor: 1000, lockAtLeastFor: 0 },
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const shutdown = executor.beforeApplicationShutdown();
    let shutDown = false;
    void shutdown.then(() => (shutDown = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(shutDown).toBe(false);
    finish();
    await shutdown;
    expect(await running).toEqual({ executed: true, result: undefined });
    expect(locks.released).toEqual(['1']);
    expect(
      await executor.executeWithLock(
        { name: 'later', lockAtMostFor: 1000, lockAtLeastFor: 0 },
        () => Promise.resolve(1),
      ),
    ).toEqual({ executed: false });
  });
});
