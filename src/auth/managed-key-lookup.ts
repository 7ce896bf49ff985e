import type { ApiPrincipal } from './api-keys.js';

/** Keys made at run time (POST /admin/api-keys): looked up by the authentication hook after the API_KEYS ones. */
export interface ManagedKeyLookup {
  authenticate(presented: string): Promise<ApiPrincipal | null>;
}

/**
 * The hook is installed before the Nest application (and so the key store) exists: it asks this
 * stand-in, which knows no keys until the store is attached at the end of start-up.
 */
export class DeferredKeyLookup implements ManagedKeyLookup {
  private target: ManagedKeyLookup | null = null;

  attach(target: ManagedKeyLookup): void {
    this.target = target;
  }

  authenticate(presented: string): Promise<ApiPrincipal | null> {
    return this.target ? this.target.authenticate(presented) : Promise.resolve(null);
  }
}
