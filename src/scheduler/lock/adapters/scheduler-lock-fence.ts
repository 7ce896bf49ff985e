import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreationFence } from '../../../jobs/creation-fence.port.js';
import type { JobFence } from '../../../jobs/job.js';
import { StaleFencingTokenError } from '../stale-fencing-token.error.js';

/**
 * The lock's fencing token is current and unexpired (database clock); the lock row stays
 * share-locked until the creating transaction ends, so the lock cannot move on under it.
 */
@Injectable()
export class SchedulerLockFence extends CreationFence {
  async assertHolds(fence: JobFence, tx: Pick<EntityManager, 'query'>): Promise<void> {
    const rows = await tx.query<unknown[]>(
      `SELECT 1 FROM scheduler_locks
       WHERE name = $1 AND fencing_token = $2::bigint AND lock_until > clock_timestamp()
       FOR SHARE`,
      [fence.lockName, fence.token],
    );
    if (rows.length === 0) throw new StaleFencingTokenError(fence);
  }
}
