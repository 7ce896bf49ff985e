/**
 * Tenants: every job, report, schedule, webhook subscription and delivery belongs to one. A tenant
 * name comes from an API key (`role:name:secret[:tenant]`), a Kafka header or the configured default.
 */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The one tenant of a deployment without API keys, and the default of Kafka messages without a header. */
export const DEFAULT_TENANT = 'default';

/**
 * Jobs that span tenants (the daily activity report over everyone, an admin's all-tenant report).
 * No key can have it (it fails TENANT_PATTERN), so only admins ever see such jobs.
 */
export const CROSS_TENANT = '*';

export function isTenantName(value: string): boolean {
  return TENANT_PATTERN.test(value);
}
