import type { ApiPrincipal } from '../auth/api-keys.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { ALL_TENANTS, onlyTenant, type TenantScope } from './tenant-scope.js';

/**
 * What a caller may see: admins every tenant (or the one they filter by with `?tenant=`), anyone
 * else only their own. A non-admin naming another tenant is refused rather than silently narrowed.
 */
export function scopeOf(caller: ApiPrincipal, requestedTenant?: string): TenantScope {
  if (caller.role === 'admin') return requestedTenant === undefined ? ALL_TENANTS : onlyTenant(requestedTenant);
  if (requestedTenant !== undefined && requestedTenant !== caller.tenant) {
    throw new ProblemException(403, 'tenant-forbidden', 'Not allowed for this key', 'only admin keys may look at other tenants');
  }
  return onlyTenant(caller.tenant);
}
