import { createHash, randomBytes } from 'node:crypto';

/** The events a subscription can ask for. `job.complete` is the seed's own name. */
export const WEBHOOK_EVENT_TYPES = ['job.complete', 'job.failed', 'job.dead', 'job.cancelled', 'job.expired'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by POST /webhooks/{id}/test; never subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';
/** Sent to ALERT_WEBHOOK_URL when dead jobs of a type pass the alert threshold; never subscribed to. */
export const QUEUE_ALERT_EVENT_TYPE = 'queue.alert';
export type DeliveredEventType = WebhookEventType | typeof TEST_EVENT_TYPE | typeof QUEUE_ALERT_EVENT_TYPE;

export interface QueueAlertFacts {
  jobType: string;
  deadCount: number;
  threshold: number;
  windowMinutes: number;
  windowStart: Date;
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
  data: { jobId: string | null; status: string | null; resultUrl: string | null; error?: unknown; alert?: QueueAlertData };
}

export interface QueueAlertData {
  jobType: string;
  deadCount: number;
  threshold: number;
  windowMinutes: number;
  windowStart: string;
}

/** One id per type and window: every retry of the same alert carries it. */
export function queueAlertMessageId(jobType: string, windowStart: Date): string {
  return 'msg_' + createHash('sha256').update(`${QUEUE_ALERT_EVENT_TYPE}|${jobType}|${windowStart.toISOString()}`).digest('base64url').slice(0, 27);
}

export function queueAlertPayload(id: string, at: Date, alert: QueueAlertFacts): WebhookPayload {
  return {
    id,
    type: QUEUE_ALERT_EVENT_TYPE,
    createdAt: at.toISOString(),
    data: { jobId: null, status: null, resultUrl: null, alert: { ...alert, windowStart: alert.windowStart.toISOString() } },
  };
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
