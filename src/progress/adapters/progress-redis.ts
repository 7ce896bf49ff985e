import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ProgressSettings } from '../../config/app-config.js';
import { progressChannel, progressKey } from './progress-keys.js';
import { PROGRESS_WRITE_LUA } from './progress-write.lua.js';

export interface ProgressRedisClient extends Redis {
  /** See progress-write.lua.ts: KEYS[1] hash; ARGV jobId, attempt, percent, hasMessage, message, nowMs, ttl, channel, updatedAtIso. */
  longhaulProgressWrite(
    key: string,
    ...args: Array<string | number>
  ): Promise<[version: number, percent: number]>;
}

const WARN_EVERY_MS = 10_000;
const READY_WAIT_MS = 2000;

/**
 * The Redis side of progress: one command connection (short timeout, no offline queue, so a lost
 * Redis makes calls fail fast instead of piling up) and, on first use, ONE subscriber connection
 * that every SSE stream of this process shares.
 */
export class ProgressRedis implements OnApplicationShutdown {
  private readonly logger = new Logger(ProgressRedis.name);
  readonly client: ProgressRedisClient;
  readonly channel: string;
  private subscriberConnection: Redis | null = null;
  private lastWarnAt = 0;

  constructor(
    private readonly url: string,
    private readonly settings: ProgressSettings,
  ) {
    this.channel = progressChannel(settings.keyPrefix);
    this.client = new Redis(url, {
      connectionName: 'longhaul-progress',
      // Status notices and progress writes of many jobs leave in one socket write per tick.
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      commandTimeout: settings.redisTimeoutMs,
      connectTimeout: Math.max(1000, settings.redisTimeoutMs),
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(100 * times, 2000),
    }) as ProgressRedisClient;
    this.client.defineCommand('longhaulProgressWrite', {
      numberOfKeys: 1,
      lua: PROGRESS_WRITE_LUA,
    });
    this.client.on('error', (error: Error) => this.warn('progress redis connection error', error));
  }

  key(jobId: string): string {
    return progressKey(this.settings.keyPrefix, jobId);
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** Waits briefly for the first connection so early reports land; the app starts without Redis too. */
  async waitUntilReady(timeoutMs = READY_WAIT_MS): Promise<boolean> {
    if (this.ready) return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.on('ready', onReady);
    });
  }

  /** The process-wide subscriber (created once). ioredis re-subscribes after a reconnect. */
  subscriber(): Redis {
    if (!this.subscriberConnection) {
      const subscriber = new Redis(this.url, {
        connectionName: 'longhaul-progress-sub',
        maxRetriesPerRequest: null,
        retryStrategy: (times) => Math.min(100 * times, 2000),
      });
      subscriber.on('error', (error: Error) => this.warn('progress redis subscriber error', error));
      this.subscriberConnection = subscriber;
    }
    return this.subscriberConnection;
  }

  async onApplicationShutdown(): Promise<void> {
    const connections = [this.client, this.subscriberConnection].filter(
      (c): c is Redis => c !== null,
    );
    this.subscriberConnection = null;
    await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
  }

  private warn(msg: string, error: Error): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn({ msg, error: error.message });
  }
}
