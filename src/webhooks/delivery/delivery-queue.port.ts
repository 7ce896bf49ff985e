import type { EnqueuedDelivery } from '../webhooks.repository.js';

/**
 * How committed rows of webhook_deliveries reach a delivery worker, and when each attempt runs.
 * The row (and the attempt log) always lives in PostgreSQL; the adapter owns the schedule:
 * the table itself (embedded profile) or a Bull queue on Redis (when REDIS_URL is set).
 */
export abstract class WebhookDeliveryQueue {
  abstract readonly name: 'table' | 'bull';
  /** The rows are committed: make sure a worker will pick them up. Safe to call twice for the same row. */
  abstract enqueued(deliveries: readonly EnqueuedDelivery[]): Promise<void>;
  abstract startConsuming(concurrency: number): Promise<void>;
  /** Stops taking new deliveries and waits (bounded) for attempts in flight. */
  abstract stopConsuming(): Promise<void>;
}
