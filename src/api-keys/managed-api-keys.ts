import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiPrincipal, ApiRole } from '../auth/api-keys.js';
import type { ManagedKeyLookup } from '../auth/managed-key-lookup.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { AppConfig } from '../config/app-config.js';
import { PgNotifications } from '../database/pg-notifications.js';
import { ApiKeysRepository, type ManagedKey } from './api-keys.repository.js';

/** Every node drops what it cached about managed keys when one is created or deleted anywhere. */
export const API_KEYS_CHANGED = 'api_keys_changed';
const KEY_PREFIX = 'lhk_';
const TOUCH_EVERY_MS = 60_000;
/** Bounds the memory a flood of made-up keys can take. */
const MAX_CACHED = 10_000;

const digestOf = (secret: string) => createHash('sha256').update(secret).digest();

interface CacheEntry {
  key: ManagedKey | null;
  until: number;
  touchedAt: number;
}

/**
 * API keys made at run time. A node caches what it read for API_KEY_CACHE_MS (unknown keys too, so a
 * flood of bad keys costs no queries); a create or delete anywhere NOTIFYs every node, which empties
 * its cache, so a deleted key stops working within a notification's delay (at worst the cache time).
 */
@Injectable()
export class ManagedApiKeys implements ManagedKeyLookup, OnApplicationBootstrap {
  private readonly logger = new Logger(ManagedApiKeys.name);
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly config: AppConfig,
    private readonly repository: ApiKeysRepository,
    private readonly notifications: PgNotifications,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifications.listen(API_KEYS_CHANGED, () => this.cache.clear());
  }

  async create(request: { label: string; role: ApiRole; tenant?: string }, createdBy: string): Promise<{ key: ManagedKey; secret: string }> {
    if (!this.config.apiKeys.enabled) {
      throw new ProblemException(409, 'authentication-off', 'Authentication is off', 'set API_KEYS first: managed keys add to the configured ones');
    }
    if (this.config.apiKeys.names().includes(request.label)) throw labelTaken(request.label);
    const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
    const key = await this.repository.insert(
      { id: randomUUID(), label: request.label, role: request.role, tenant: request.tenant ?? request.label, createdBy },
      digestOf(secret),
    );
    if (!key) throw labelTaken(request.label);
    this.changed();
    return { key, secret };
  }

  list(): Promise<ManagedKey[]> {
    return this.repository.list(500);
  }

  async delete(id: string): Promise<ManagedKey> {
    const deleted = await this.repository.delete(id);
    if (!deleted) throw keyNotFound(id);
    this.changed();
    return deleted;
  }

  async authenticate(presented: string): Promise<ApiPrincipal | null> {
    const digest = digestOf(presented);
    const cacheKey = digest.toString('hex');
    const now = Date.now();
    let entry = this.cache.get(cacheKey);
    if (!entry || entry.until <= now) {
      entry = { key: await this.repository.findByDigest(digest), until: now + this.config.operator.apiKeyCacheMs, touchedAt: entry?.touchedAt ?? 0 };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(cacheKey, entry);
    }
    const key = entry.key;
    if (!key) return null;
    if (now - entry.touchedAt >= TOUCH_EVERY_MS) {
      entry.touchedAt = now;
      this.repository.touch(key.id).catch((error: unknown) => this.logger.warn({ msg: 'could not record a key’s last use', keyId: key.id, error: String(error) }));
    }
    return { name: key.label, role: key.role, tenant: key.tenant };
  }

  private changed(): void {
    this.cache.clear();
    this.notifications.notify(API_KEYS_CHANGED);
  }
}

function labelTaken(label: string): ProblemException {
  return new ProblemException(409, 'api-key-label-taken', 'Label taken', `another API key is called ${label}`);
}

export function keyNotFound(id: string): ProblemException {
  return new ProblemException(404, 'api-key-not-found', 'API key not found', `no managed API key has id ${id.slice(0, 64)}`);
}
