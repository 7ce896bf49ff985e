import { createHash, randomBytes } from 'node:crypto';

/** The events a subscription can ask for. `job.complete` is the seed's own name. */
export const WEBHOOK_EVENT_TYPES = ['job.complete', 'job.failed', 'job.dead', 'job.cancelled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by POST /webhooks/{id}/test; never subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';
export type DeliveredEventType = WebhookEventType | typeof TEST_EVENT_TYPE;

/** Job states that produce an event; every other state change is silent. */
export function eventForStatus(status: string): WebhookEventType | null {
  switch (status) {
    case 'COMPLETED':
      return 'job.complete';
    case 'FAILED':
      return 'job.failed';
    case 'DEAD':
      return 'job.dead';
    case 'CANCELLED':
      return 'job.cancelled';
    default:
      return null;
  }
}

export interface JobEventFacts {
  jobId: string;
  status: string;
  /** The attempt the event belongs to (a job fails once per attempt). */
  attempt: number;
  at: Date;
  resultUrl: string | null;
  error: unknown;
}

export interface WebhookPayload {
  id: string;
  type: DeliveredEventType;
  createdAt: string;
  data: { jobId: string | null; status: string | null; resultUrl: string | null; error?: unknown };
}

/**
 * The `webhook-id` of a job event: derived from (job, event, attempt), so the same event always
 * gets the same id — across retries, redeliveries, and a second enqueue of the same transition.
 * Every endpoint receiving the event sees the same id.
 */
export function messageIdFor(jobId: string, type: WebhookEventType, attempt: number): string {
  return 'msg_' + createHash('sha256').update(`${jobId}|${type}|${attempt}`).digest('base64url').slice(0, 27);
}

export function randomMessageId(): string {
  return 'msg_' + randomBytes(20).toString('base64url').slice(0, 27);
}

export function jobEventPayload(id: string, type: WebhookEventType, facts: JobEventFacts): WebhookPayload {
  const data: WebhookPayload['data'] = { jobId: facts.jobId, status: facts.status, resultUrl: facts.resultUrl };
  if (type !== 'job.complete' && facts.error !== null && facts.error !== undefined) data.error = facts.error;
  return { id, type, createdAt: facts.at.toISOString(), data };
}

export function testEventPayload(id: string, at: Date): WebhookPayload {
  return { id, type: TEST_EVENT_TYPE, createdAt: at.toISOString(), data: { jobId: null, status: null, resultUrl: null } };
}
