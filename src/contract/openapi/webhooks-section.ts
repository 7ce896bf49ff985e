import { getSchemaPath } from '@nestjs/swagger';
import { WebhookEventDto } from '../../webhooks/dto/webhook-event.dto.js';

const header = (name: string, description: string, example: string) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string', examples: [example] },
});

/** The Standard Webhooks headers plus the seed's X-Signature, on every delivery. */
export const WEBHOOK_HEADERS = [
  header('webhook-id', 'The message id: the same on every retry and redelivery (your idempotency key); equals the body `id`', 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W'),
  header('webhook-timestamp', 'Unix seconds of this attempt; reject values more than 5 minutes away', '1764400000'),
  header(
    'webhook-signature',
    '`v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, keyed with the base64-decoded secret after `whsec_`; space-separated entries during a secret rotation',
    'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  ),
  header('X-Signature', '`sha256=<hex HMAC-SHA256 of the body>`, keyed with the whole secret string (whsec_…); the seed’s header', 'sha256=6f1c…'),
];

const EVENTS: Array<{ name: string; summary: string; description: string }> = [
  { name: 'job.complete', summary: 'A job COMPLETED', description: '`data.status` is COMPLETED and `data.resultUrl` links the result.' },
  { name: 'job.failed', summary: 'An attempt failed; a retry is scheduled', description: '`data.status` is FAILED and `data.error` says why.' },
  { name: 'job.dead', summary: 'A job is DEAD (attempts exhausted, permanent error, or no handler)', description: '`data.error` says why.' },
  { name: 'job.cancelled', summary: 'A job was CANCELLED', description: '`data.error.code` is CANCELLED.' },
  { name: 'job.expired', summary: 'A job EXPIRED: it had not started by its start deadline', description: '`data.error.code` is EXPIRED.' },
  { name: 'webhook.test', summary: 'A test message (POST /webhooks/{id}/test)', description: 'Never subscribed to; `data` members are null.' },
  {
    name: 'queue.alert',
    summary: 'Dead jobs of a type passed ALERT_DEAD_THRESHOLD within the window (sent to ALERT_WEBHOOK_URL)',
    description: 'Once per job type and window across all nodes; never subscribed to. `data.alert` says which type, how many and which window.',
  },
];

const RECEIVER_RESPONSES = {
  '2XX': { description: 'Delivered. Answer quickly and do the work afterwards.' },
  '410': { description: 'Gone: the subscription is disabled.' },
  '429': { description: 'Retried after the schedule or `Retry-After`, whichever is later.' },
  '503': { description: 'Retried after the schedule or `Retry-After`, whichever is later.' },
  default: { description: '5xx (and 408/425 where WEBHOOK_RETRYABLE_4XX lists them): retried with backoff; other answers, redirects included, fail the delivery.' },
};

/** OpenAPI 3.1 `webhooks`: what a subscribed URL (or a job's callbackUrl) receives. */
export function withWebhooks<T extends object>(document: T): T {
  const webhooks = Object.fromEntries(
    EVENTS.map((event) => [
      event.name,
      {
        post: {
          operationId: `on${event.name
            .split('.')
            .map((part) => part[0].toUpperCase() + part.slice(1))
            .join('')}`,
          tags: ['webhooks'],
          summary: event.summary,
          description: `${event.description} Signed with the subscription's secret (a callbackUrl: WEBHOOK_CALLBACK_SECRET); verify with any Standard Webhooks library.`,
          parameters: WEBHOOK_HEADERS,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: getSchemaPath(WebhookEventDto) } } } },
          responses: RECEIVER_RESPONSES,
        },
      },
    ]),
  );
  return { ...document, webhooks };
}
