import type { Provider } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import { JobsRepository } from '../jobs/jobs.repository.js';
import { MemoryProgressTracker } from './adapters/memory-progress-tracker.js';
import { ProgressRedis } from './adapters/progress-redis.js';
import { RedisProgressTracker } from './adapters/redis-progress-tracker.js';
import { MemoryProgressEventSource } from './events/memory-event-source.js';
import { ProgressEventSource } from './events/progress-event-source.js';
import { RedisProgressEventSource } from './events/redis-event-source.js';
import { ProgressTracker } from './progress-tracker.port.js';

/** The one place the progress adapters are chosen: Redis when `REDIS_URL` is set, in-process otherwise. */
export const progressAdapters: Provider[] = [
  {
    provide: ProgressRedis,
    inject: [AppConfig],
    useFactory: async (config: AppConfig): Promise<ProgressRedis | null> => {
      if (!config.redisUrl) return null;
      const redis = new ProgressRedis(config.redisUrl, config.progress);
      await redis.waitUntilReady();
      return redis;
    },
  },
  {
    provide: ProgressTracker,
    inject: [AppConfig, ProgressRedis, JobsRepository, EventEmitter2],
    useFactory: (
      config: AppConfig,
      redis: ProgressRedis | null,
      jobs: JobsRepository,
      emitter: EventEmitter2,
    ): ProgressTracker =>
      redis
        ? new RedisProgressTracker(config.progress, redis, jobs, emitter)
        : new MemoryProgressTracker(config.progress, jobs, emitter),
  },
  {
    provide: ProgressEventSource,
    inject: [ProgressRedis, EventEmitter2],
    useFactory: (redis: ProgressRedis | null, emitter: EventEmitter2): ProgressEventSource =>
      redis ? new RedisProgressEventSource(redis) : new MemoryProgressEventSource(emitter),
  },
];
