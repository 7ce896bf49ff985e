import type { Provider } from '@nestjs/common';
import { DataStore } from '@tus/utils';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config.js';
import { ListableFileStore, ListableS3Store } from './listable-stores.js';

/** The key prefix uploads are stored under ('' on the filesystem: the store has a directory of its own). */
export const UPLOAD_KEY_BASE = Symbol('UPLOAD_KEY_BASE');

/** Uploads go to S3 when S3_BUCKET is set (every node sees them), else to DATA_DIR/uploads. */
export const TUS_DATASTORE_PROVIDER: Provider = {
  provide: DataStore,
  inject: [AppConfig],
  useFactory: (config: AppConfig): DataStore => {
    const expirationPeriodInMilliseconds = config.uploads.expirySeconds * 1000;
    const s3 = config.s3;
    if (!s3) return new ListableFileStore({ directory: join(config.dataDir, 'uploads'), expirationPeriodInMilliseconds });
    return new ListableS3Store({
      expirationPeriodInMilliseconds,
      // Expiry lists unfinished multipart uploads (the retention pass); object tags are not needed for it.
      useTags: false,
      s3ClientConfig: {
        bucket: s3.bucket,
        region: s3.region,
        endpoint: s3.endpoint,
        forcePathStyle: s3.forcePathStyle,
        credentials: s3.credentials ? { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: s3.credentials.secretAccessKey } : undefined,
      },
    });
  },
};

export const UPLOAD_KEY_BASE_PROVIDER: Provider = {
  provide: UPLOAD_KEY_BASE,
  inject: [AppConfig],
  useFactory: (config: AppConfig): string => (config.s3 ? `${config.s3.prefix}uploads/` : ''),
};
