/** One row of the audit trail as it is written. */
export interface AuditEntryInput {
  actor: string;
  actorRole: string;
  tenant: string;
  action: string;
  target: string | null;
  remoteAddress: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

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
