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

/** Where `@Audited` calls are written: the audit module provides it (globally). */
export abstract class AuditRecorder {
  abstract record(entry: AuditEntryInput): Promise<void>;
}
