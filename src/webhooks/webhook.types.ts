/** Plain data the webhooks module passes around (mapped from rows in webhook-rows.ts). */

export interface Subscription {
  id: string;
  tenant: string;
  url: string;
  events: string[];
  description: string | null;
  /** Sealed (encrypted at rest, see src/secrets); only SigningSecrets opens it. */
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed' | 'cancelled';
export const FINISHED_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['delivered', 'failed', 'cancelled'];

export interface Delivery {
  id: string;
  messageId: string;
  endpointKey: string;
  subscriptionId: string | null;
  url: string;
  eventType: string;
  jobId: string | null;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  round: number;
  roundAttempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

/** A delivery claimed for one attempt, with what is needed to sign and send it now (and nothing more). */
export interface DeliveryToSend extends Pick<Delivery, 'id' | 'messageId' | 'subscriptionId' | 'url' | 'eventType' | 'body' | 'round' | 'roundAttempts'> {
  /** The subscription's current URL (a PATCH applies to pending retries); null for a job's callbackUrl. */
  subscriptionUrl: string | null;
  subscriptionEnabled: boolean | null;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  attempt: number;
  round: number;
  startedAt: Date;
  webhookTimestamp: number;
  statusCode: number | null;
  latencyMs: number;
  outcome: AttemptOutcome;
  error: string | null;
  retryAt: Date | null;
}

export interface PageCursor {
  createdAt: Date;
  id: string;
}
