import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';
import { ResultStore, ownerPath, type ResultOwner, type ResultRef, type ResultToStore, type StagedResult, type StoredResult } from '../result-store.port.js';

/**
 * Streams results to DATA_DIR/results/{jobId}/{attempt}[-{name}]: each attempt its own file (written to a
 * temporary name, then renamed), so a stale attempt never touches the file the job points at.
 */
@Injectable()
export class FilesystemResultStore extends ResultStore {
  private readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = join(config.dataDir, 'results');
  }

  async stage(owner: ResultOwner, result: ResultToStore): Promise<StagedResult> {
    const directory = join(this.root, owner.jobId);
    await mkdir(directory, { recursive: true });
    const location = ownerPath(owner);
    const path = join(this.root, location);
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const source = Buffer.isBuffer(result.body) ? Readable.from([result.body]) : result.body;
    try {
      await pipeline(source, createWriteStream(temporary));
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    const { size } = await stat(path);
    const ref: ResultRef = { store: 'filesystem', contentType: result.contentType, sizeBytes: size, location, attempt: owner.attempt };
    return {
      ref,
      commit: () => Promise.resolve(),
      discard: () => unlink(path).catch(() => undefined),
    };
  }

  async open(jobId: string, ref: ResultRef): Promise<StoredResult | null> {
    const location = join(this.root, ref.location ?? jobId);
    try {
      const { size } = await stat(location);
      return { contentType: ref.contentType, sizeBytes: size, stream: createReadStream(location) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(jobId: string): Promise<void> {
    await rm(join(this.root, jobId), { recursive: true, force: true });
  }
}
