import { SetMetadata } from '@nestjs/common';

export const AUDIT_METADATA = 'longhaul:audit';

/** What an audit rule may look at: the request as the handler saw it and what it answered. */
export interface AuditedCall {
  params: Record<string, string | undefined>;
  body: unknown;
  answer: unknown;
}

export interface AuditRule {
  /** What was done, e.g. `dlq.replay`, `webhook.subscription.rotate`. */
  action: string;
  /** The object acted on; default: the route's `:id`, else the answer's `id` or `jobId`. */
  target?: (call: AuditedCall) => string | null;
  /** Small facts worth keeping (never secrets). */
  details?: (call: AuditedCall) => Record<string, unknown> | null;
  /** Calls that change nothing (a dry run) are not recorded. */
  skip?: (call: Omit<AuditedCall, 'answer'>) => boolean;
}

/**
 * Records every successful call of the handler in the append-only audit trail (who, tenant, when by
 * the database clock, action, target, remote address, request id). Features only declare it; the
 * audit module does the writing.
 */
export const Audited = (rule: AuditRule): MethodDecorator => SetMetadata(AUDIT_METADATA, rule);

/** Facts only the handler knows (e.g. the tenant of the job it replayed), merged into its audit row. */
export interface AuditFacts {
  tenant?: string;
  details?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditFacts?: AuditFacts;
  }
}

export function noteForAudit(request: { auditFacts?: AuditFacts }, facts: AuditFacts): void {
  request.auditFacts = { ...request.auditFacts, ...facts, details: { ...request.auditFacts?.details, ...facts.details } };
}
