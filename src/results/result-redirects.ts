import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { S3ResultStore } from './adapters/s3-result-store.js';
import type { ResultRef } from './result-ref.js';

/**
 * RESULT_DELIVERY=redirect: a result kept in S3 is handed out as a short-lived presigned URL (the
 * client downloads it from S3, not through the API). Results in other stores are always streamed.
 */
@Injectable()
export class ResultRedirects {
  constructor(
    private readonly config: AppConfig,
    @Inject(S3ResultStore) private readonly s3: S3ResultStore | null,
  ) {}

  /** False when no result is ever redirected: callers skip the lookup. */
  get enabled(): boolean {
    return this.config.resultDelivery.mode === 'redirect' && this.s3 !== null;
  }

  /** The URL to send the client to, or null to stream the result. */
  async urlFor(jobId: string, ref: ResultRef): Promise<string | null> {
    if (!this.enabled || !this.s3 || ref.store !== 's3') return null;
    return this.s3.presign(jobId, ref, this.config.resultDelivery.presignTtlSeconds);
  }
}
