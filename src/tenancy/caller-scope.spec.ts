import { scopeOf } from './caller-scope.js';
import { ALL_TENANTS, onlyTenant } from './tenant-scope.js';

describe('scopeOf', () => {
  const admin = { name: 'ops', role: 'admin' as const, tenant: 'ops' };
  const submitter = { name: 'ci', role: 'submitter' as const, tenant: 'acme' };

  it('lets admins see every tenant, or the one they ask for', () => {
    expect(scopeOf(admin)).toEqual(ALL_TENANTS);
    expect(scopeOf(admin, 'acme')).toEqual(onlyTenant('acme'));
  });

  it('keeps other keys to their own tenant and refuses a look at another', () => {
    expect(scopeOf(submitter)).toEqual(onlyTenant('acme'));
    expect(scopeOf(submitter, 'acme')).toEqual(onlyTenant('acme'));
    expect(() => scopeOf(submitter, 'globex')).toThrow(expect.objectContaining({ status: 403 }) as Error);
  });
});
