import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { RetentionRegistry } from '../retention/retention-registry.js';

/** Finished webhook deliveries (and their attempt logs) expire after WEBHOOK_DELIVERY_RETENTION_SECONDS. */
@Injectable()
export class DeliveryRetention {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    registry: RetentionRegistry,
  ) {
    registry.register({ name: 'webhook deliveries', prune: (limit) => this.deleteFinished(limit) });
  }

  private async deleteFinished(limit: number): Promise<number> {
    const rows = await this.db.query<Array<{ n: number }>>(
      `WITH old AS (
         SELECT id FROM webhook_deliveries
         WHERE status IN ('delivered', 'failed', 'cancelled') AND updated_at < now() - make_interval(secs => $1::float8)
         ORDER BY updated_at LIMIT $2
       ), gone AS (DELETE FROM webhook_deliveries WHERE id = ANY(ARRAY(SELECT id FROM old)) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [this.config.retention.webhookDeliverySeconds, limit],
    );
    return rows[0]?.n ?? 0;
  }
}
