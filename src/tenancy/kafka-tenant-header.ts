import type { IHeaders } from 'kafkajs';
import { ProblemException } from '../common/problem/problem.exception.js';
import { isTenantName } from '../common/tenant.js';

/** Kafka header naming the tenant a submitted job belongs to. */
export const TENANT_HEADER = 'x-tenant';

/**
 * The tenant of a job submitted as a Kafka message: its `x-tenant` header, or the configured default
 * when there is none. An invalid header is a refused message (a 4xx problem, so the consumer sends it
 * to the dead letter topic with the reason) — never a silent fall-back to another tenant.
 */
export function kafkaMessageTenant(headers: IHeaders | undefined, fallback: string): string {
  const raw = headers?.[TENANT_HEADER];
  if (raw === undefined) return fallback;
  const values = Array.isArray(raw) ? raw : [raw];
  const texts = values.map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value)));
  const tenant = texts[0];
  if (texts.length !== 1 || tenant === undefined || !isTenantName(tenant)) {
    throw new ProblemException(400, 'invalid-tenant-header', 'Invalid tenant header', `${TENANT_HEADER} must be one tenant name (1-64 letters, digits, ".", "_" or "-")`);
  }
  return tenant;
}
