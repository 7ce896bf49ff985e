import { Logger } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { JOB_TRANSITIONED, type JobTransitionedEvent } from '../../jobs/job-events.js';
import type { ProgressRedis } from '../adapters/progress-redis.js';
import { RESYNC_NOTICE, decodeChange, encodeStatusChange } from './progress-change.js';
import { ProgressEventSource, type ProgressChangeSink } from './progress-event-source.js';

const WARN_EVERY_MS = 10_000;
const SUBSCRIBE_WAIT_MS = 2000;

/**
 * Distributed profile: the node that moves a job publishes a status notice (progress notices are
 * published by the write script); every node serving streams listens on ONE subscriber connection.
 */
export class RedisProgressEventSource extends ProgressEventSource {
  private readonly logger = new Logger(RedisProgressEventSource.name);
  private sink: ProgressChangeSink | null = null;
  private lastWarnAt = 0;
  private readonly onTransition = (event: JobTransitionedEvent) => this.publishStatus(event);

  constructor(
    private readonly redis: ProgressRedis,
    private readonly emitter: EventEmitter2,
  ) {
    super();
    // Publishing runs on every node from boot: workers, the sweeper and cancels all move jobs.
    this.emitter.on(JOB_TRANSITIONED, this.onTransition);
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
    this.emitter.off(JOB_TRANSITIONED, this.onTransition);
    this.sink = null;
  }

  private publishStatus({ job, from, to }: JobTransitionedEvent): void {
    if (!this.redis.ready) return; // subscribers resync when their connection comes back
    this.redis.client
      .publish(this.redis.channel, encodeStatusChange(job.id, from, to, job.attempts))
      .catch((error: unknown) => this.warn('status publish failed', error));
  }

  private warn(msg: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn({ msg, error: error instanceof Error ? error.message : String(error) });
  }
}
