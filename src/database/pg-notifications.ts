import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { DatabaseTargetToken } from './database-target.js';
import type { DatabaseTarget } from './typeorm-options.js';

type Listener = (payload: string) => void;

const MAX_CHANNEL_LENGTH = 63;

/**
 * One dedicated LISTEN connection per process, shared by every subscriber; reconnects on loss.
 * Channel names are scoped to DATABASE_SCHEMA, so apps sharing a database in other schemas never
 * wake each other.
 */
@Injectable()
export class PgNotifications implements OnApplicationShutdown {
  private readonly logger = new Logger(PgNotifications.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;
  /** Per channel and payload: a NOTIFY is on its way; `again` asks for one more after it. */
  private readonly outgoing = new Map<string, { again: boolean }>();

  constructor(@Inject(DatabaseTargetToken) private readonly target: DatabaseTarget) {}

  async listen(channel: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      const client = await this.connection();
      await client.query(`LISTEN "${this.scoped(channel)}"`);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Sends NOTIFY on its own (autocommit) transaction over this connection, coalesced per channel and
   * payload: a burst of calls costs one notification per round trip, and every call is followed by a
   * NOTIFY sent after it. Call it after the commit that made the change visible. (A NOTIFY inside a
   * busy write transaction is costly: PostgreSQL serialises the commits of notifying transactions.)
   * Listeners must treat a wake-up as a hint and re-read state: one lost in a crash is covered by
   * each listener's periodic safety pass.
   */
  notify(channel: string, payload = ''): void {
    const key = `${channel}\u0000${payload}`;
    const pending = this.outgoing.get(key);
    if (pending) {
      pending.again = true;
      return;
    }
    const state = { again: true };
    this.outgoing.set(key, state);
    void this.sendWhileAsked(key, channel, payload, state);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async sendWhileAsked(key: string, channel: string, payload: string, state: { again: boolean }): Promise<void> {
    try {
      while (state.again && !this.closed) {
        state.again = false;
        const client = await this.connection();
        await client.query('SELECT pg_notify($1, $2)', [this.scoped(channel), payload]);
      }
    } catch (error) {
      this.logger.warn({ msg: 'could not send a notification', channel, error: (error as Error).message });
    } finally {
      this.outgoing.delete(key);
    }
  }

  private scoped(channel: string): string {
    const schema = this.target.schema;
    if (!schema) return channel;
    const name = `${schema}.${channel}`;
    if (name.length <= MAX_CHANNEL_LENGTH) return name;
    return `${channel.slice(0, 30)}.${createHash('sha256').update(name).digest('hex').slice(0, 24)}`;
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.target.url });
    const byScopedName = () => new Map([...this.listeners.keys()].map((channel) => [this.scoped(channel), channel]));
    client.on('notification', (message) => {
      const channel = byScopedName().get(message.channel);
      for (const listener of (channel && this.listeners.get(channel)) || []) listener(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.logger.warn({ msg: 'notification connection lost; reconnecting', error: error.message });
      this.client = null;
      void client.end().catch(() => undefined);
      this.reconnectSoon();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private reconnectSoon(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.connection()
        .then(async (client) => {
          for (const channel of this.listeners.keys()) await client.query(`LISTEN "${this.scoped(channel)}"`);
          // Anything sent while we were away is lost: wake every listener so it re-reads state.
          for (const set of this.listeners.values()) for (const listener of set) listener('');
        })
        .catch(() => this.reconnectSoon());
    }, 1000).unref();
  }
}
