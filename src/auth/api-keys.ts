import { createHash, timingSafeEqual } from 'node:crypto';

export const API_ROLES = ['admin', 'submitter', 'reader'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiPrincipal {
  name: string;
  role: ApiRole;
}

interface StoredKey extends ApiPrincipal {
  digest: Buffer;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * The API keys from `API_KEYS` ("role:name:secret,…"). Only digests are kept; lookups compare every
 * digest in constant time so timing tells nothing about which key nearly matched.
 */
export class ApiKeys {
  private constructor(private readonly keys: readonly StoredKey[]) {}

  static parse(spec: string | undefined): { keys: ApiKeys; problems: string[] } {
    const problems: string[] = [];
    const keys: StoredKey[] = [];
    for (const [index, entry] of (spec ?? '').split(',').map((item) => item.trim()).filter(Boolean).entries()) {
      const [role, name, ...rest] = entry.split(':');
      const secret = rest.join(':');
      if (!API_ROLES.includes(role as ApiRole)) {
        problems.push(`API_KEYS entry ${index + 1}: role must be one of ${API_ROLES.join(', ')}`);
      } else if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
        problems.push(`API_KEYS entry ${index + 1}: name must be 1-64 letters, digits, ".", "_" or "-"`);
      } else if (secret.length < 16) {
        problems.push(`API_KEYS entry ${index + 1} (${name}): the secret must be at least 16 characters`);
      } else {
        keys.push({ role: role as ApiRole, name, digest: digest(secret) });
      }
    }
    return { keys: new ApiKeys(keys), problems };
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  authenticate(presented: string): ApiPrincipal | null {
    const candidate = digest(presented);
    let found: StoredKey | null = null;
    for (const key of this.keys) if (timingSafeEqual(key.digest, candidate)) found = key;
    return found ? { name: found.name, role: found.role } : null;
  }
}

/** What a role may do: admins everything, submitters all but /admin, readers only safe methods outside /admin. */
export function isAllowed(role: ApiRole, method: string, path: string): boolean {
  const adminPath = path === '/admin' || path.startsWith('/admin/');
  switch (role) {
    case 'admin':
      return true;
    case 'submitter':
      return !adminPath;
    case 'reader':
      return !adminPath && (method === 'GET' || method === 'HEAD');
  }
}
