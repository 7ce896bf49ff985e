import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { createS3Client } from './s3-client.js';
import { S3ResultStore } from './s3-result-store.js';

/** The S3 store when S3_BUCKET is set; null otherwise (nothing is then ever routed to it). */
export const S3_RESULT_STORE_PROVIDER: Provider = {
  provide: S3ResultStore,
  inject: [AppConfig],
  useFactory: (config: AppConfig): S3ResultStore | null => (config.s3 ? new S3ResultStore(createS3Client(config.s3), config.s3) : null),
};
