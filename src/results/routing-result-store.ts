import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DatabaseResultStore } from './adapters/database-result-store.js';
import { FilesystemResultStore } from './adapters/filesystem-result-store.js';
import { S3ResultStore } from './adapters/s3-result-store.js';
import { ResultStore, type ResultOwner, type ResultRef, type ResultToStore, type ResultTransaction, type StagedResult, type StoredResult } from './result-store.port.js';

/**
 * RESULT_STORE=auto keeps buffers up to RESULT_INLINE_MAX_BYTES in the database and streams the rest
 * to S3 when S3_BUCKET is set, else to files; without S3 the distributed profile keeps everything in
 * the database (nodes share no disk).
 */
@Injectable()
export class RoutingResultStore extends ResultStore {
  constructor(
    private readonly config: AppConfig,
    private readonly database: DatabaseResultStore,
    private readonly filesystem: FilesystemResultStore,
    @Inject(S3ResultStore) private readonly s3: S3ResultStore | null,
  ) {
    super();
  }

  async stage(owner: ResultOwner, result: ResultToStore): Promise<StagedResult> {
    const store = owner.name === undefined ? this.choose(result) : this.fileStore();
    return await store.stage(owner, result);
  }

  /** Database results go in one statement; results already written elsewhere have nothing to commit. */
  override async commitAll(staged: readonly StagedResult[], tx: ResultTransaction): Promise<void> {
    await this.database.commitAll(staged.filter((result) => result.ref.store === 'database'), tx);
    for (const result of staged) if (result.ref.store !== 'database') await result.commit(tx);
  }

  async open(jobId: string, ref: ResultRef): Promise<StoredResult | null> {
    return await this.storeOf(ref).open(jobId, ref);
  }

  /** The result and its named files. */
  async remove(jobId: string, ref: ResultRef): Promise<void> {
    await this.storeOf(ref).remove(jobId, ref);
    for (const file of Object.values(ref.files ?? {})) await this.storeOf(file).remove(jobId, file);
  }

  private storeOf(ref: ResultRef): ResultStore {
    switch (ref.store) {
      case 'filesystem':
        return this.filesystem;
      case 's3':
        return this.requireS3();
      case 'database':
        return this.database;
    }
  }

  private choose(result: ResultToStore): ResultStore {
    const kind = this.config.resultStore;
    if (kind === 'database') return this.database;
    if (kind === 'filesystem') return this.filesystem;
    if (kind === 's3') return this.requireS3();
    const small = Buffer.isBuffer(result.body) && result.body.length <= this.config.resultInlineMaxBytes;
    if (small) return this.database;
    if (this.s3) return this.s3;
    return this.config.profile === 'distributed' ? this.database : this.filesystem;
  }

  /** Named files (renditions) are large and streamed: S3 when there is one, else files where nodes share DATA_DIR. */
  private fileStore(): ResultStore {
    const kind = this.config.resultStore;
    if (kind === 's3' || (kind !== 'filesystem' && this.s3)) return this.requireS3();
    if (kind === 'filesystem' || (kind === 'auto' && this.config.profile === 'embedded')) return this.filesystem;
    throw new Error('result files need S3_BUCKET, or RESULT_STORE=filesystem on a DATA_DIR every node shares');
  }

  private requireS3(): S3ResultStore {
    if (!this.s3) throw new Error('this result is kept in S3, but S3_BUCKET is not set');
    return this.s3;
  }
}
