import { Injectable } from '@nestjs/common';
import { RetentionRegistry } from '../retention/retention-registry.js';
import { TusEndpoint } from './tus-endpoint.js';

/** Unfinished uploads older than UPLOAD_EXPIRY_SECONDS go with each retention pass (tus's expiration extension). */
@Injectable()
export class UploadExpiry {
  constructor(registry: RetentionRegistry, tus: TusEndpoint) {
    registry.register({ name: 'abandoned uploads', prune: () => tus.cleanUpExpired() });
  }
}
