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
