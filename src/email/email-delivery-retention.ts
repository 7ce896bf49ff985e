import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { RetentionRegistry } from '../retention/retention-registry.js';

/** Finished email deliveries (and their attempt logs) expire after EMAIL_DELIVERY_RETENTION_SECONDS. */
@Injectable()
export class EmailDeliveryRetention {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    registry: RetentionRegistry,
  ) {
    registry.register({ name: 'email deliveries', prune: (limit) => this.deleteFinished(limit) });
  }

  private async deleteFinished(limit: number): Promise<number> {
    const rows = await this.db.query<Array<{ n: number }>>(
      `WITH old AS (
         SELECT id FROM email_deliveries
         WHERE status IN ('delivered', 'failed', 'cancelled') AND updated_at < now() - make_interval(secs => $1::float8)
         ORDER BY updated_at LIMIT $2
       ), gone AS (DELETE FROM email_deliveries WHERE id = ANY(ARRAY(SELECT id FROM old)) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [this.config.email.deliveryRetentionSeconds, limit],
    );
    return rows[0]?.n ?? 0;
  }
}
