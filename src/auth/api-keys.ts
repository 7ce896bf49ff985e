import { createHash, timingSafeEqual } from 'node:crypto';
import { isTenantName } from '../common/tenant.js';

export const API_ROLES = ['admin', 'submitter', 'reader'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Who is calling: the key's name (owner of what it creates), its role, and the tenant it acts in. */
export interface ApiPrincipal {
  name: string;
  role: ApiRole;
  tenant: string;
}

interface StoredKey extends ApiPrincipal {
  digest: Buffer;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const SECRET = /^[\x21-\x7e]{16,256}$/;
const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * The API keys from `API_KEYS` ("role:name:secret[:tenant],…"; the tenant defaults to the name, and
 * several keys may share one). Only digests are kept; lookups compare every digest in constant time
 * so timing tells nothing about which key nearly matched.
 */
export class ApiKeys {
  private constructor(private readonly keys: readonly StoredKey[]) {}

  static parse(spec: string | undefined): { keys: ApiKeys; problems: string[] } {
    const problems: string[] = [];
    const keys: StoredKey[] = [];
    const names = new Set<string>();
    for (const [index, entry] of (spec ?? '').split(',').map((item) => item.trim()).filter(Boolean).entries()) {
      const at = `API_KEYS entry ${index + 1}`;
      const [role, name, secret, tenant, ...rest] = entry.split(':');
      if (!API_ROLES.includes(role as ApiRole)) {
        problems.push(`${at}: role must be one of ${API_ROLES.join(', ')}`);
      } else if (!name || !NAME.test(name)) {
        problems.push(`${at}: name must be 1-64 letters, digits, ".", "_" or "-"`);
      } else if (names.has(name)) {
        problems.push(`${at} (${name}): another key has this name`);
      } else if (rest.length > 0 || secret === undefined || !SECRET.test(secret)) {
        problems.push(`${at} (${name}): the secret must be 16-256 printable characters without ":" (role:name:secret[:tenant])`);
      } else if (tenant !== undefined && !isTenantName(tenant)) {
        problems.push(`${at} (${name}): tenant must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
      } else {
        names.add(name);
        keys.push({ role: role as ApiRole, name, tenant: tenant ?? name, digest: digest(secret) });
      }
    }
    return { keys: new ApiKeys(keys), problems };
  }

  /** The names of the configured keys (a managed key may not take one). */
  names(): string[] {
    return this.keys.map((key) => key.name);
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  authenticate(presented: string): ApiPrincipal | null {
    const candidate = digest(presented);
    let found: StoredKey | null = null;
    for (const key of this.keys) if (timingSafeEqual(key.digest, candidate)) found = key;
    return found ? { name: found.name, role: found.role, tenant: found.tenant } : null;
  }
}
