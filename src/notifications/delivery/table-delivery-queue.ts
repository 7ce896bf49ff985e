import { Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import type { PgNotifications } from '../../database/pg-notifications.js';
import {
  DeliveryQueue,
  type ClaimedDelivery,
  type DeliveryAttempts,
  type DeliveryQueueSettings,
  type DeliveryRows,
  type QueuedDelivery,
} from './delivery-queue.port.js';

/** Safety net for a missed wake-up (a NOTIFY lost while the listen connection reconnected). */
const MAX_SLEEP_MS = 30_000;
/** A claim lasts the attempt's time budget plus this; past it another worker may take the row. */
const LEASE_MARGIN_MS = 30_000;
/** Claimed rows waiting behind the running ones; they cover a claim's round-trip under load. */
const CLAIM_AHEAD = 128;
/** A claim costs about the same for 1 row or 100: wait until this many are wanted (unless idle). */
const MIN_CLAIM = 32;
/** A buffered row older than its lease allows (minus one attempt and this) is given back, not sent. */
const STALE_MARGIN_MS = 5000;

/**
 * Embedded profile: the channel's delivery table is the queue. Workers claim due rows with
 * FOR UPDATE SKIP LOCKED, wake on NOTIFY for new rows, and sleep until the next due retry.
 * Up to `concurrency` attempts run at once; more claimed rows wait in a local buffer so a
 * finished attempt is replaced without waiting for a claim round-trip (rows that wait too long
 * for a slot are given back before their lease could run out).
 */
export class TableDeliveryQueue<T extends ClaimedDelivery> extends DeliveryQueue {
  readonly name = 'table';
  private readonly logger: Logger;
  private readonly workerId: string;
  private concurrency = 0;
  /** Claimed rows not started yet, with when they were claimed. */
  private ready: Array<{ delivery: T; claimedAt: number }> = [];
  /** Attempts waiting for their receiver; each holds one of `concurrency` slots. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Outcomes on their way into the attempt log; the slot is already free again. */
  private readonly recording = new Set<Promise<void>>();
  private consuming = false;
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly settings: DeliveryQueueSettings,
    private readonly repository: DeliveryRows<T>,
    private readonly notifications: PgNotifications,
    private readonly runner: DeliveryAttempts<T>,
  ) {
    super();
    this.logger = new Logger(`TableDeliveryQueue:${settings.channel}`);
    this.workerId = `${hostname()}:${process.pid}:${settings.channel}`;
  }

  /** The rows are committed: a (schema-scoped, coalesced) NOTIFY wakes the workers on every node. */
  enqueued(deliveries: readonly QueuedDelivery[]): Promise<void> {
    if (deliveries.length > 0) this.notifications.notify(this.settings.notifyChannel);
    return Promise.resolve();
  }

  async startConsuming(concurrency: number): Promise<void> {
    this.concurrency = concurrency;
    this.consuming = true;
    this.unlisten = await this.notifications.listen(this.settings.notifyChannel, () => this.wake());
    this.wake();
  }

  async stopConsuming(): Promise<void> {
    this.consuming = false;
    this.unlisten?.();
    if (this.timer) clearTimeout(this.timer);
    await this.claiming;
    await this.release(this.ready.splice(0).map((entry) => entry.delivery.id));
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.recording]);
  }

  /** Something may be due: start what is buffered, and claim more if there is room. */
  private wake(): void {
    if (!this.consuming) return;
    this.pump();
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    const room = this.room();
    if (room <= 0 || (room < MIN_CLAIM && this.ready.length > 0)) return;
    this.claiming = this.claim(room)
      .catch((error: unknown) => {
        if (this.consuming) this.logger.error({ msg: 'claiming deliveries failed', error: String(error) });
        return 1000;
      })
      .then((nextDueInMs) => {
        this.claiming = null;
        if (this.claimAgain || nextDueInMs === undefined) {
          this.claimAgain = false;
          this.wake();
        } else {
          this.sleepFor(nextDueInMs);
        }
      });
  }

  /** Rows to claim: enough to fill the running slots and the buffer behind them. */
  private room(): number {
    return this.concurrency + CLAIM_AHEAD - this.inFlight.size - this.ready.length;
  }

  private leaseMs(): number {
    return this.settings.attemptTimeoutMs + LEASE_MARGIN_MS;
  }

  /** Returns how long to wait before looking again, or undefined when the claim was full (more may be due now). */
  private async claim(limit: number): Promise<number | null | undefined> {
    const claimedAt = Date.now();
    const claimed = await this.repository.claimDue(limit, this.leaseMs(), this.workerId);
    for (const delivery of claimed) this.ready.push({ delivery, claimedAt });
    this.pump();
    if (claimed.length >= limit) return undefined;
    return this.repository.nextDueInMs();
  }

  private pump(): void {
    // Slow receivers can hold every slot; a row that waited too long could lose its lease mid-attempt.
    const staleBefore = Date.now() - (this.leaseMs() - this.settings.attemptTimeoutMs - STALE_MARGIN_MS);
    const stale = this.ready.filter((entry) => entry.claimedAt < staleBefore);
    if (stale.length > 0) {
      this.ready = this.ready.filter((entry) => entry.claimedAt >= staleBefore);
      void this.release(stale.map((entry) => entry.delivery.id));
    }
    while (this.consuming && this.inFlight.size < this.concurrency && this.ready.length > 0) {
      const { delivery } = this.ready.shift() as { delivery: T };
      const running: Promise<void> = this.runner
        .attempt(delivery)
        .then((run) => this.whileRecording(delivery.id, run.recorded))
        .catch((error: unknown) => this.logger.error({ msg: 'delivery attempt crashed', deliveryId: delivery.id, error: String(error) }))
        .finally(() => {
          this.inFlight.delete(running);
          this.wake();
        });
      this.inFlight.add(running);
    }
  }

  private async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.repository
      .releaseClaims(ids, this.workerId)
      .catch((error: unknown) => this.logger.warn({ msg: 'releasing claimed deliveries failed', error: String(error) }));
  }

  /** A failed write leaves the row claimed; its lease runs out and the attempt is made again. */
  private whileRecording(deliveryId: string, recorded: Promise<boolean>): void {
    const tracked: Promise<void> = recorded
      .then(() => {
        // A retry becomes claimable once written: look again so its timer is armed.
        if (this.inFlight.size === 0 && this.ready.length === 0) this.wake();
      })
      .catch((error: unknown) => this.logger.error({ msg: 'recording a delivery attempt failed', deliveryId, error: String(error) }))
      .finally(() => this.recording.delete(tracked));
    this.recording.add(tracked);
  }

  /** The wait was measured by the database's clock, so a skewed node clock cannot stretch or shrink it. */
  private sleepFor(nextDueInMs: number | null): void {
    if (!this.consuming) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = nextDueInMs === null ? MAX_SLEEP_MS : Math.max(5, nextDueInMs + 5);
    this.timer = setTimeout(() => this.wake(), Math.min(wait, MAX_SLEEP_MS));
    this.timer.unref();
  }
}
