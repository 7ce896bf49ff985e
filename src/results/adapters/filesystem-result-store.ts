import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../../config/app-config.js';
import type { ResultRef } from '../../jobs/job.js';
import { ResultStore, type ResultToStore, type StoredResult } from '../result-store.port.js';

/** Streams results to files under DATA_DIR/results; written to a temp name, then renamed. */
@Injectable()
export class FilesystemResultStore extends ResultStore {
  private readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = join(config.dataDir, 'results');
  }

  async save(jobId: string, result: ResultToStore): Promise<ResultRef> {
    await mkdir(this.root, { recursive: true });
    const location = join(this.root, jobId);
    const temporary = `${location}.${process.pid}.tmp`;
    const source = Buffer.isBuffer(result.body) ? Readable.from([result.body]) : result.body;
    await pipeline(source, createWriteStream(temporary));
    await rename(temporary, location);
    const { size } = await stat(location);
    return { store: 'filesystem', contentType: result.contentType, sizeBytes: size, location: jobId };
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
}
