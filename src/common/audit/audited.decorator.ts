import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AUDIT_METADATA, type AuditFacts, type AuditRule } from './audit-metadata.js';
import { AuditedCallInterceptor } from './audited-call.interceptor.js';

/**
 * Records every successful call of the handler in the append-only audit trail (who, tenant, when by
 * the database clock, action, target, remote address, request id). Features only declare it; the
 * audit module provides the AuditRecorder that writes.
 */
export const Audited = (rule: AuditRule): MethodDecorator =>
  applyDecorators(SetMetadata(AUDIT_METADATA, rule), UseInterceptors(AuditedCallInterceptor));

export function noteForAudit(request: { auditFacts?: AuditFacts }, facts: AuditFacts): void {
  request.auditFacts = { ...request.auditFacts, ...facts, details: { ...request.auditFacts?.details, ...facts.details } };
}
