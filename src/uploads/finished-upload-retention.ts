import { Inject, Injectable } from '@nestjs/common';
import { DataStore } from '@tus/utils';
import { AppConfig } from '../config/app-config.js';
import { RetentionRegistry } from '../retention/retention-registry.js';
import { finishedUpload } from './finished-upload.js';
import { isListable } from './listable-stores.js';
import { UPLOAD_KEY_BASE } from './tus-datastore.provider.js';

/**
 * With UPLOAD_RETENTION_SECONDS set, a finished upload is deleted that long after it was created, by
 * the retention pass (unfinished ones expire after UPLOAD_EXPIRY_SECONDS through tus's own expiry).
 * Each pass walks the store's uploads; a job still queued for a deleted upload dies with "not found".
 */
@Injectable()
export class FinishedUploadRetention {
  constructor(
    private readonly config: AppConfig,
    private readonly store: DataStore,
    @Inject(UPLOAD_KEY_BASE) private readonly keyBase: string,
    registry: RetentionRegistry,
  ) {
    if (config.uploads.retentionSeconds > 0) registry.register({ name: 'finished uploads', prune: (limit) => this.prune(limit) });
  }

  async prune(limit: number): Promise<number> {
    const store = this.store;
    if (!isListable(store)) return 0;
    const cutoff = Date.now() - this.config.uploads.retentionSeconds * 1000;
    let removed = 0;
    for await (const key of store.uploadKeys(this.keyBase)) {
      if (removed >= limit) break;
      const upload = await finishedUpload(this.store, key);
      if (!upload?.creation_date || Date.parse(upload.creation_date) > cutoff) continue;
      await this.store.remove(key);
      removed += 1;
    }
    return removed;
  }
}
