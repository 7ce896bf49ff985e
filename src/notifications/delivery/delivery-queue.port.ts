/** A committed delivery row of any channel: which one, and which round of attempts. */
export interface QueuedDelivery {
  id: string;
  round: number;
}

/** Bull's view of one attempt about to start: the row, its round and the attempt within the round. */
export interface StartRequest {
  id: string;
  round: number;
  roundAttempt: number;
}

/** A delivery claimed for one attempt; each channel adds what it needs to send it. */
export interface ClaimedDelivery extends QueuedDelivery {
  roundAttempts: number;
}

/** How one attempt ended, as far as the queue adapters care (the channel's retry rules decided it). */
export type AttemptVerdict =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; delayMs: number; reason: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'skipped'; reason: string };

export interface AttemptRun {
  /** Known as soon as the receiver answered (or the attempt failed). */
  verdict: AttemptVerdict;
  /** Settles once the outcome is in the attempt log: true if written, false if the row moved on meanwhile. */
  recorded: Promise<boolean>;
}

/** Sends one claimed delivery of a channel and records the outcome (webhook POST, email over SMTP, …). */
export interface DeliveryAttempts<T extends ClaimedDelivery> {
  attempt(delivery: T): Promise<AttemptRun>;
}

/**
 * A channel's delivery table as the queue adapters use it. Every time is the database's: a node with a
 * skewed clock can neither strand nor hurry a retry.
 */
export interface DeliveryRows<T extends ClaimedDelivery> {
  /** Due pending rows, then rows whose claimer died mid-attempt; each claim counts as an attempt. */
  claimDue(limit: number, leaseMs: number, workerId: string): Promise<T[]>;
  /** Claimed rows this worker never started: due again at once, the claim not counted. */
  releaseClaims(ids: readonly string[], workerId: string): Promise<void>;
  /** Milliseconds until the next due retry or lease expiry (by the database's clock); null when none. */
  nextDueInMs(): Promise<number | null>;
  /** Bull owns the schedule: marks the attempts started and returns what is needed to send them. */
  startAttempts(requests: readonly StartRequest[]): Promise<T[]>;
  markHandedOff(ids: readonly string[]): Promise<void>;
  /** Rows committed but never handed to Bull (the node died in between). */
  findNotHandedOff(olderThanMs: number, limit: number): Promise<QueuedDelivery[]>;
  /** Rows handed to Bull that made no progress for `staleMs` (checked against Bull by the reconciler). */
  findStuckHandedOff(staleMs: number, limit: number): Promise<QueuedDelivery[]>;
}

/** What the queue adapters need to know about the channel they serve. */
export interface DeliveryQueueSettings {
  /** The channel's name in logs and worker ids: `webhook`, `email`. */
  readonly channel: string;
  /** NOTIFY channel announcing new or redelivered rows (table adapter). */
  readonly notifyChannel: string;
  /** One attempt's whole time budget. */
  readonly attemptTimeoutMs: number;
  /** Attempts per round (Bull's `attempts`). */
  readonly maxAttempts: number;
  /** How often the Bull adapter hands lost or never-handed rows to Bull again. */
  readonly reconcileIntervalMs: number;
}

/**
 * How committed delivery rows reach a delivery worker, and when each attempt runs. The row (and the
 * attempt log) always lives in PostgreSQL; the adapter owns the schedule: the table itself (embedded
 * profile) or a Bull queue on Redis (when REDIS_URL is set). One adapter instance per channel.
 */
export abstract class DeliveryQueue {
  abstract readonly name: 'table' | 'bull';
  /** The rows are committed: make sure a worker will pick them up. Safe to call twice for the same row. */
  abstract enqueued(deliveries: readonly QueuedDelivery[]): Promise<void>;
  abstract startConsuming(concurrency: number): Promise<void>;
  /** Stops taking new deliveries and waits (bounded) for attempts in flight. */
  abstract stopConsuming(): Promise<void>;
}
