import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreationFence } from '../../../jobs/creation-fence.port.js';
import type { JobFence } from '../../../jobs/job.js';
import { LockSql } from '../../scheduler.sql.js';
import { StaleFencingTokenError } from '../stale-fencing-token.error.js';

/**
 * The lock's fencing token is current and unexpired (database clock); the lock row stays
 * share-locked until the creating transaction ends, so the lock cannot move on under it.
 */
@Injectable()
export class SchedulerLockFence extends CreationFence {
  async assertHolds(fence: JobFence, tx: Pick<EntityManager, 'query'>): Promise<void> {
    const [{ holds }] = await tx.query<Array<{ holds: boolean }>>(LockSql.fenceHolds, [fence.lockName, fence.token]);
    if (!holds) throw new StaleFencingTokenError(fence);
  }
}
