import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DatabaseResultStore } from './adapters/database-result-store.js';
import { FilesystemResultStore } from './adapters/filesystem-result-store.js';
import { ResultStore, type ResultOwner, type ResultRef, type ResultToStore, type StagedResult, type StoredResult } from './result-store.port.js';

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

  stage(owner: ResultOwner, result: ResultToStore): Promise<StagedResult> {
    return this.choose(result).stage(owner, result);
  }

  open(jobId: string, ref: ResultRef): Promise<StoredResult | null> {
    return this.storeOf(ref).open(jobId, ref);
  }

  remove(jobId: string, ref: ResultRef): Promise<void> {
    return this.storeOf(ref).remove(jobId, ref);
  }

  private storeOf(ref: ResultRef): ResultStore {
    return ref.store === 'filesystem' ? this.filesystem : this.database;
  }

  private choose(result: ResultToStore): ResultStore {
    const kind = this.config.resultStore;
    if (kind === 'database' || (kind === 'auto' && this.config.profile === 'distributed')) return this.database;
    if (kind === 'filesystem') return this.filesystem;
    const small = Buffer.isBuffer(result.body) && result.body.length <= this.config.resultInlineMaxBytes;
    return small ? this.database : this.filesystem;
  }
}
