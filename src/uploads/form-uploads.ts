import { Inject, Injectable } from '@nestjs/common';
import { DataStore, Upload } from '@tus/utils';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config.js';
import { receiveFormFile } from './receive-form-file.js';
import { UPLOAD_KEY_BASE } from './tus-datastore.provider.js';
import { newUploadId, uploadKey } from './upload-keys.js';

export interface FormUpload {
  uploadId: string;
  sizeBytes: number;
}

/**
 * The small-file convenience beside tus: one multipart/form-data request becomes a finished upload in
 * the same store, under the same tenant-carrying key, so jobs and tus (HEAD, GET, DELETE) see no
 * difference. The file is received into a temporary file first: the store is told the size up front,
 * and a refused or cut-off request leaves nothing in it.
 */
@Injectable()
export class FormUploads {
  private readonly maxBytes: number;

  constructor(
    config: AppConfig,
    private readonly store: DataStore,
    @Inject(UPLOAD_KEY_BASE) private readonly keyBase: string,
  ) {
    this.maxBytes = Math.min(config.uploads.maxFormBytes, config.uploads.maxBytes);
  }

  async receive(tenant: string, request: IncomingMessage): Promise<FormUpload> {
    const dir = await mkdtemp(join(tmpdir(), 'longhaul-form-upload-'));
    try {
      const path = join(dir, 'file');
      const file = await receiveFormFile(request, path, this.maxBytes);
      const uploadId = newUploadId();
      const key = uploadKey(this.keyBase, tenant, uploadId);
      const metadata = { filename: file.filename, filetype: file.contentType };
      await this.store.create(new Upload({ id: key, size: file.sizeBytes, offset: 0, metadata, creation_date: new Date().toISOString() }));
      try {
        const written = await this.store.write(createReadStream(path), key, 0);
        if (written !== file.sizeBytes) throw new Error(`the upload store took ${written} of ${file.sizeBytes} bytes`);
      } catch (error) {
        await this.store.remove(key).catch(() => undefined); // no half-written upload is left behind
        throw error;
      }
      return { uploadId, sizeBytes: file.sizeBytes };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
