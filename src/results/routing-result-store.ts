import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import type { ResultRef } from '../jobs/job.js';
import { DatabaseResultStore } from './adapters/database-result-store.js';
import { FilesystemResultStore } from './adapters/filesystem-result-store.js';
import { ResultStore, type ResultToStore, type StoredResult } from './result-store.port.js';

/**
 * RESULT_STORE=auto keeps buffers up to RESULT_INLINE_MAX_BYTES in the database and streams
 * the rest to files; the distributed profile keeps everything in the database (nodes share no disk).
 */
@Injectable()
export class RoutingResultStore extends ResultStore {
  constructor(
    private readonly config: AppConfig,
    private readonly database: DatabaseResultStore,
    private readonly filesystem: FilesystemResultStore,
  ) {
    super();
  }

  save(jobId: string, result: ResultToStore, tx?: Pick<EntityManager, 'query'>): Promise<ResultRef> {
    return this.choose(result).save(jobId, result, tx);
  }

  open(jobId: string, ref: ResultRef): Promise<StoredResult | null> {
    return ref.store === 'filesystem' ? this.filesystem.open(jobId, ref) : this.database.open(jobId);
  }

  private choose(result: ResultToStore): ResultStore {
    const kind = this.config.resultStore;
    if (kind === 'database' || (kind === 'auto' && this.config.profile === 'distributed')) return this.database;
    if (kind === 'filesystem') return this.filesystem;
    const small = Buffer.isBuffer(result.body) && result.body.length <= this.config.resultInlineMaxBytes;
    return small ? this.database : this.filesystem;
  }
}
