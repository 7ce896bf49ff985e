import type { AuditEntryInput } from '../common/audit/audit-recorder.port.js';

/** One row as it is read back (the id orders the trail; `at` is the database clock). */
export interface AuditEntry extends AuditEntryInput {
  id: string;
  at: Date;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  /** null: every tenant. */
  tenant: string | null;
  from?: Date;
  to?: Date;
  /** Only rows older than this id (the cursor). */
  beforeId?: string;
  limit: number;
}
