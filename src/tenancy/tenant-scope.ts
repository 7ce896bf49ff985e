/**
 * What a caller may see: one tenant, or every tenant (admins, and internal work such as the
 * scheduler). Passed explicitly to every read and change of tenant-owned data, so forgetting it is
 * a type error rather than a leak.
 */
export type TenantScope = { readonly all: true } | { readonly all: false; readonly tenant: string };

export const ALL_TENANTS: TenantScope = Object.freeze({ all: true });

export function onlyTenant(tenant: string): TenantScope {
  return { all: false, tenant };
}

/** The SQL parameter of a scope: the tenant, or null for "any tenant" (`$n::text IS NULL OR tenant = $n`). */
export function tenantParam(scope: TenantScope): string | null {
  return scope.all ? null : scope.tenant;
}

export function inScope(scope: TenantScope, tenant: string): boolean {
  return scope.all || scope.tenant === tenant;
}
