import { Inject, Injectable } from '@nestjs/common';
import { FileStore } from '@tus/file-store';
import { DataStore } from '@tus/utils';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finishedUpload } from './finished-upload.js';
import { UPLOAD_KEY_BASE } from './tus-datastore.provider.js';
import { UploadFiles, type UploadedFile } from './upload-files.port.js';
import { isUploadId, uploadKey } from './upload-keys.js';

/** Both tus stores can read an upload back (the file store synchronously, the S3 store as a promise). */
type ReadableStore = DataStore & { read(key: string): Readable | Promise<Readable> };

@Injectable()
export class StoredUploadFiles extends UploadFiles {
  constructor(
    private readonly store: DataStore,
    @Inject(UPLOAD_KEY_BASE) private readonly keyBase: string,
  ) {
    super();
  }

  async find(tenant: string, uploadId: string): Promise<UploadedFile | null> {
    if (!isUploadId(uploadId)) return null;
    const key = uploadKey(this.keyBase, tenant, uploadId);
    const upload = await finishedUpload(this.store, key);
    if (!upload) return null;
    const store = this.store as ReadableStore;
    const localPath = this.store instanceof FileStore ? join(this.store.directory, key) : null;
    return { sizeBytes: upload.size, localPath, read: async () => await store.read(key) };
  }
}
