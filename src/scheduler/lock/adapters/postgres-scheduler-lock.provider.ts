import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LockSql } from '../../scheduler.sql.js';
import {
  SchedulerLockProvider,
  type AcquiredLock,
  type LockConfiguration,
} from '../scheduler-lock.provider.js';

interface LockRow {
  name: string;
  fencing_token: string;
  locked_at: Date;
  lock_until: Date;
  locked_by: string;
}

/** ShedLock's JDBC provider on PostgreSQL: advisory lock + lock table, database clock only. */
@Injectable()
export class PostgresSchedulerLockProvider extends SchedulerLockProvider {
  constructor(private readonly db: DataSource) {
    super();
  }

  async tryAcquire(config: LockConfiguration, lockedBy: string): Promise<AcquiredLock | null> {
    const rows = await this.db.query<LockRow[]>(LockSql.acquire, [
      config.name,
      config.lockAtMostFor,
      lockedBy,
    ]);
    const row = rows[0];
    if (!row) return null;
    return {
      name: row.name,
      fencingToken: row.fencing_token,
      lockedAt: row.locked_at,
      lockUntil: row.lock_until,
      lockedBy: row.locked_by,
    };
  }

  async release(lock: AcquiredLock, config: LockConfiguration): Promise<void> {
    await this.db.query(LockSql.release, [lock.name, lock.fencingToken, config.lockAtLeastFor]);
  }
}
