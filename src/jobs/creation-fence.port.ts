import type { EntityManager } from 'typeorm';
import type { JobFence } from './job.js';

/**
 * Scheduled work creates jobs only while the lock it runs under is still its own. The scheduler
 * answers that (its lock table is its business), inside the transaction that inserts the jobs, and
 * keeps the lock row share-locked until that transaction ends; a fence that no longer holds throws.
 */
export abstract class CreationFence {
  abstract assertHolds(fence: JobFence, tx: Pick<EntityManager, 'query'>): Promise<void>;
}
