import { classifyDatabaseError } from '../../common/sql/database-errors.js';
import { JobRequestRejected } from '../../jobs/job-request-rejected.js';

/**
 * Why handling a message failed, in the domain's terms: the request is `invalid` (it can never become a
 * job), PostgreSQL `rejected-data` it cannot store, the database is unreachable (`transient`), or
 * something else (`unknown`, usually a bug).
 */
export type FailureKind = 'invalid' | 'rejected-data' | 'transient' | 'unknown';

export function classifyFailure(error: unknown): { kind: FailureKind; code: string } {
  if (error instanceof JobRequestRejected) return { kind: 'invalid', code: error.code };
  switch (classifyDatabaseError(error)) {
    case 'unavailable':
      return { kind: 'transient', code: 'DATABASE_UNAVAILABLE' };
    case 'rejected-data':
      return { kind: 'rejected-data', code: 'DATA_REJECTED' };
    case 'other':
      return { kind: 'unknown', code: 'UNEXPECTED' };
  }
}
