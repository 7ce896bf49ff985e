import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import { isUploadNotFound } from './finished-upload.js';

/** A tus store that can name every upload it holds (the retention of finished uploads walks them). */
export interface ListableUploadStore {
  /** Every upload key under `prefix` (the S3 store's key base; the file store has a directory of its own). */
  uploadKeys(prefix: string): AsyncIterable<string>;
}

export function isListable(store: object): store is ListableUploadStore {
  return typeof (store as Partial<ListableUploadStore>).uploadKeys === 'function';
}

/** The file store's uploads are the keys of its config store (one `<key>.json` beside each file). */
export class ListableFileStore extends FileStore implements ListableUploadStore {
  async *uploadKeys(): AsyncIterable<string> {
    yield* (await this.configstore.list?.()) ?? [];
  }
}

/**
 * The S3 store keeps an `<key>.info` object per upload: listed a page (up to 1,000 keys) at a time.
 * Its `remove` aborts the multipart upload first and gives up with 404 when that upload is already
 * complete, so a finished upload could never be deleted (by tus DELETE or by retention): then the
 * object and its info are deleted directly.
 */
export class ListableS3Store extends S3Store implements ListableUploadStore {
  override async remove(id: string): Promise<void> {
    try {
      await super.remove(id);
    } catch (error) {
      if (!isUploadNotFound(error)) throw error;
      const info = await this.client.headObject({ Bucket: this.bucket, Key: this.infoKey(id) }).catch(() => null);
      if (!info) throw error;
      await this.client.deleteObjects({ Bucket: this.bucket, Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }] } });
      await this.clearCache(id);
    }
  }

  async *uploadKeys(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.listObjectsV2({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token });
      for (const { Key } of page.Contents ?? []) if (Key?.endsWith('.info')) yield Key.slice(0, -'.info'.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
