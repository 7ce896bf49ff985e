import { Logger } from '@nestjs/common';
import type { JobStatus } from '../../jobs/domain/job-status.js';
import type { ProgressRedis } from '../adapters/progress-redis.js';
import { RESYNC_NOTICE, decodeChange, encodeStatusChange } from './progress-change.js';
import { ProgressEventSource, type ProgressChangeSink } from './progress-event-source.js';

const WARN_EVERY_MS = 10_000;
const SUBSCRIBE_WAIT_MS = 2000;

/**
 * Distributed profile: the node that moves a job publishes a status notice (through the SSE channel of
 * the notification port; progress notices are published by the write script); every node serving
 * streams listens on ONE subscriber connection.
 */
export class RedisProgressEventSource extends ProgressEventSource {
  private readonly logger = new Logger(RedisProgressEventSource.name);
  private sink: ProgressChangeSink | null = null;
  private lastWarnAt = 0;

  constructor(private readonly redis: ProgressRedis) {
    super();
    let lostSinceReady = false;
    this.redis.client.on('close', () => (lostSinceReady = true));
    this.redis.client.on('ready', () => {
      if (!lostSinceReady) return;
      lostSinceReady = false;
      this.redis.client
        .publish(this.redis.channel, RESYNC_NOTICE)
        .catch((error: unknown) => this.warn('resync publish failed', error));
    });
  }

  start(sink: ProgressChangeSink): Promise<void> {
    if (this.sink) return Promise.resolve();
    this.sink = sink;
    const subscriber = this.redis.subscriber();
    let subscribedOnce = false;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.redis.channel) return;
      const change = decodeChange(message);
      if (change?.kind === 'resync') this.sink?.resync();
      else if (change) this.sink?.change(change);
    });
    subscriber.on('ready', () => {
      // ioredis re-subscribes by itself; anything published while we were away must be re-read.
      if (subscribedOnce) this.sink?.resync();
    });
    const subscribed = subscriber.subscribe(this.redis.channel).then(
      () => {
        subscribedOnce = true;
      },
      (error: unknown) => this.warn('progress subscribe failed', error),
    );
    const giveUp = new Promise<void>((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS).unref());
    return Promise.race([subscribed, giveUp]);
  }

  stop(): void {
    this.sink = null;
  }

  publishStatus(jobId: string, from: JobStatus | null, to: JobStatus, attempt: number): void {
    if (!this.redis.ready) return; // subscribers resync when their connection comes back
    this.redis.client
      .publish(this.redis.channel, encodeStatusChange(jobId, from, to, attempt))
      .catch((error: unknown) => this.warn('status publish failed', error));
  }

  private warn(msg: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn({ msg, error: error instanceof Error ? error.message : String(error) });
  }
}
