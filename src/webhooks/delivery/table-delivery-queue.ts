import { Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { AppConfig } from '../../config/app-config.js';
import { PgNotifications } from '../../database/pg-notifications.js';
import { WEBHOOK_DELIVERIES_CHANNEL, WebhooksRepository, type EnqueuedDelivery } from '../webhooks.repository.js';
import { DeliveryAttemptRunner } from './delivery-attempt.js';
import { WebhookDeliveryQueue } from './delivery-queue.port.js';

/** Safety net for a missed wake-up (a NOTIFY lost while the listen connection reconnected). */
const MAX_SLEEP_MS = 30_000;
/** A claim lasts the attempt's time budget plus this; past it another worker may take the row. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Embedded profile: webhook_deliveries is the queue. Workers claim due rows with
 * FOR UPDATE SKIP LOCKED, wake on NOTIFY for new rows, and sleep until the next due retry.
 */
@Injectable()
export class TableDeliveryQueue extends WebhookDeliveryQueue {
  readonly name = 'table';
  private readonly logger = new Logger(TableDeliveryQueue.name);
  private readonly workerId = `${hostname()}:${process.pid}:webhooks`;
  private concurrency = 0;
  /** Attempts waiting for their receiver; each holds one of `concurrency` slots. */
  private inFlight = new Set<Promise<void>>();
  /** Outcomes on their way into the attempt log; the slot is already free again. */
  private recording = new Set<Promise<void>>();
  private consuming = false;
  private filling: Promise<void> | null = null;
  private refill = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: WebhooksRepository,
    private readonly notifications: PgNotifications,
    private readonly runner: DeliveryAttemptRunner,
  ) {
    super();
  }

  async enqueued(deliveries: readonly EnqueuedDelivery[]): Promise<void> {
    if (deliveries.length > 0) await this.repository.notifyDeliveries();
  }

  async startConsuming(concurrency: number): Promise<void> {
    this.concurrency = concurrency;
    this.consuming = true;
    this.unlisten = await this.notifications.listen(WEBHOOK_DELIVERIES_CHANNEL, () => this.wake());
    this.wake();
  }

  async stopConsuming(): Promise<void> {
    this.consuming = false;
    this.unlisten?.();
    if (this.timer) clearTimeout(this.timer);
    await this.filling;
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.recording]);
  }

  private wake(): void {
    if (!this.consuming) return;
    if (this.filling) {
      this.refill = true;
      return;
    }
    this.filling = this.claimWhileCapacity()
      .catch((error: unknown) => {
        if (this.consuming) this.logger.error({ msg: 'claiming webhook deliveries failed', error: String(error) });
        return new Date(Date.now() + 1000);
      })
      .then((nextDueAt) => {
        this.filling = null;
        if (this.refill) {
          this.refill = false;
          this.wake();
        } else if (nextDueAt !== undefined) {
          this.sleepUntil(nextDueAt);
        }
      });
  }

  /** Claims until full or nothing is due; returns when to look again (undefined: a finishing attempt will wake us). */
  private async claimWhileCapacity(): Promise<Date | null | undefined> {
    const leaseMs = this.config.webhooks.timeoutMs + LEASE_MARGIN_MS;
    while (this.consuming && this.inFlight.size < this.concurrency) {
      const claimed = await this.repository.claimDue(this.concurrency - this.inFlight.size, leaseMs, this.workerId);
      for (const delivery of claimed) {
        const running: Promise<void> = this.runner
          .attempt(delivery)
          .then((run) => this.whileRecording(delivery.id, run.recorded))
          .catch((error: unknown) => this.logger.error({ msg: 'webhook attempt crashed', deliveryId: delivery.id, error: String(error) }))
          .finally(() => {
            this.inFlight.delete(running);
            this.wake();
          });
        this.inFlight.add(running);
      }
      if (claimed.length === 0) return this.repository.nextDueAt();
    }
    return undefined;
  }

  /** A failed write leaves the row claimed; its lease runs out and the attempt is made again. */
  private whileRecording(deliveryId: string, recorded: Promise<boolean>): void {
    const tracked: Promise<void> = recorded
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ msg: 'recording a webhook attempt failed', deliveryId, error: String(error) }))
      .finally(() => this.recording.delete(tracked));
    this.recording.add(tracked);
  }

  private sleepUntil(nextDueAt: Date | null): void {
    if (!this.consuming) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = nextDueAt ? Math.max(5, nextDueAt.getTime() - Date.now() + 5) : MAX_SLEEP_MS;
    this.timer = setTimeout(() => this.wake(), Math.min(wait, MAX_SLEEP_MS));
    this.timer.unref();
  }
}
