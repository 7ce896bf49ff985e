import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { ProgressSettings } from '../../config/app-config.js';
import type { JobsRepository } from '../../jobs/jobs.repository.js';
import type { PendingProgress } from '../progress-coalescer.js';
import type { ProgressSnapshot } from '../progress-tracker.port.js';
import { CoalescingProgressTracker } from './coalescing-progress-tracker.js';
import type { ProgressRedis } from './progress-redis.js';

/** Distributed profile: hash `job:progress:{id}` (percent, message, updatedAt, attempt, version) with a TTL, plus pub/sub. */
export class RedisProgressTracker extends CoalescingProgressTracker {
  constructor(
    private readonly settings: ProgressSettings,
    private readonly redis: ProgressRedis,
    jobs: JobsRepository,
    emitter: EventEmitter2,
  ) {
    super(settings, jobs, emitter);
  }

  async get(jobId: string): Promise<ProgressSnapshot | null> {
    if (!this.redis.ready) return null;
    try {
      return parseHash(jobId, await this.redis.client.hgetall(this.redis.key(jobId)));
    } catch (error) {
      this.warn('live progress read failed; using the job row', error);
      return null;
    }
  }

  protected async writeLive(
    jobId: string,
    progress: PendingProgress,
  ): Promise<ProgressSnapshot | null> {
    const updatedAt = new Date(progress.updatedAt).toISOString();
    const [version, percent] = await this.redis.client.longhaulProgressWrite(
      this.redis.key(jobId),
      jobId,
      progress.attempt,
      progress.percent,
      progress.message === null ? '0' : '1',
      progress.message ?? '',
      progress.updatedAt,
      this.settings.ttlSeconds,
      this.redis.channel,
      updatedAt,
    );
    if (!version) return null;
    return {
      jobId,
      attempt: progress.attempt,
      percent,
      message: progress.message,
      updatedAt,
      version,
    };
  }
}

function parseHash(jobId: string, hash: Record<string, string>): ProgressSnapshot | null {
  const percent = Number(hash.percent);
  const attempt = Number(hash.attempt);
  const version = Number(hash.version);
  if (
    !Number.isInteger(percent) ||
    !Number.isInteger(attempt) ||
    !Number.isInteger(version) ||
    !hash.updatedAt
  )
    return null;
  return {
    jobId,
    attempt,
    percent,
    message: hash.message ?? null,
    updatedAt: hash.updatedAt,
    version,
  };
}
