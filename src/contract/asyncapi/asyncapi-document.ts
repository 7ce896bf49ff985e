import type { OpenAPIObject } from '@nestjs/swagger';
import { DeadLetterHeaders } from '../../queue/kafka/dead-letter-headers.js';
import { API_VERSION } from '../openapi/document-info.js';
import type { Schema } from '../openapi/schema-walk.js';
import { WEBHOOK_HEADERS } from '../openapi/webhooks-section.js';
import { sharedSchemas } from './shared-schemas.js';

const ref = (path: string) => ({ $ref: path });
const schemaRef = (name: string) => ref(`#/components/schemas/${name}`);

const DLT_HEADERS: Schema = {
  type: 'object',
  required: [DeadLetterHeaders.reason, DeadLetterHeaders.code, DeadLetterHeaders.attempts, DeadLetterHeaders.failedAt],
  properties: {
    [DeadLetterHeaders.reason]: { type: 'string', maxLength: 1000, description: 'Why the record is here, for people' },
    [DeadLetterHeaders.code]: {
      type: 'string',
      description:
        'Why, for programs. A refused message: TOO_LARGE, NOT_UTF8, NOT_JSON, UNSTORABLE_TEXT, INVALID_MESSAGE, DATA_REJECTED, UNEXPECTED, or the problem type slug ' +
        '(unknown-job-type, validation, webhook-url-refused, idempotency-key-conflict). A DEAD job: its error code (PERMANENT, NO_HANDLER, INTERRUPTED_TOO_OFTEN, the error class name) or DEAD.',
      examples: ['NOT_JSON', 'unknown-job-type', 'INTERRUPTED_TOO_OFTEN'],
    },
    [DeadLetterHeaders.attempts]: { type: 'string', pattern: '^\\d+$', description: 'Attempts the job had started; 0 for a refused message' },
    [DeadLetterHeaders.jobId]: { type: 'string', format: 'uuid', description: 'A DEAD job: its id' },
    [DeadLetterHeaders.failedAt]: { type: 'string', format: 'date-time' },
    [DeadLetterHeaders.originalTopic]: { type: 'string', description: 'The record that was refused, or the dispatch that started the job’s last attempt' },
    [DeadLetterHeaders.originalPartition]: { type: 'string', pattern: '^\\d+$' },
    [DeadLetterHeaders.originalOffset]: { type: 'string', pattern: '^\\d+$' },
  },
};

const WEBHOOK_MESSAGE_HEADERS: Schema = {
  type: 'object',
  required: WEBHOOK_HEADERS.map((header) => header.name),
  properties: Object.fromEntries(WEBHOOK_HEADERS.map((header) => [header.name, { ...header.schema, description: header.description }])),
};

const SSE_EVENTS = [
  { name: 'snapshot', schema: 'SnapshotEventData', summary: 'The first event of a fresh stream: the job as it is' },
  { name: 'progress', schema: 'ProgressEventData', summary: 'The running attempt reported progress (coalesced: the latest value, in order)' },
  { name: 'status', schema: 'StatusEventData', summary: 'The job changed state (one per row of /jobs/{id}/history)' },
];

const WEBHOOK_EVENTS = ['job.complete', 'job.failed', 'job.dead', 'job.cancelled', 'job.expired', 'webhook.test', 'queue.alert'];

const camel = (name: string) => name.replace(/[._-](\w)/g, (_, letter: string) => letter.toUpperCase());

function messages(): Record<string, Schema> {
  return {
    KafkaJobMessage: {
      name: 'KafkaJobMessage',
      title: 'Job request',
      summary: 'A job to create (or, from longhaul’s own outbox, a dispatch naming a job by jobId). Key: the jobId or the idempotencyKey.',
      contentType: 'application/json',
      payload: schemaRef('KafkaJobMessage'),
    },
    RefusedMessage: {
      name: 'RefusedMessage',
      title: 'Refused job request',
      summary: 'A record of the jobs topic that can never become a job, copied byte for byte (key, value and headers), with why.',
      contentType: 'application/octet-stream',
      headers: DLT_HEADERS,
      payload: { type: 'string', description: 'The original value, unchanged (not necessarily JSON or UTF-8)' },
    },
    DeadJobRecord: {
      name: 'DeadJobRecord',
      title: 'Dead job',
      summary: 'A job went DEAD; written through the transactional outbox, so a crash cannot lose it. Key: the job id.',
      contentType: 'application/json',
      headers: DLT_HEADERS,
      payload: schemaRef('DeadJobRecord'),
    },
    ...Object.fromEntries(
      SSE_EVENTS.map((event) => [
        `${event.name}Event`,
        {
          name: event.name,
          title: `SSE ${event.name}`,
          summary: `${event.summary}. The SSE event name is "${event.name}"; the data line is this JSON; the id is <transitionId>-<progressVersion> (single-job streams only).`,
          contentType: 'application/json',
          payload: schemaRef(event.schema),
        },
      ]),
    ),
    ...Object.fromEntries(
      WEBHOOK_EVENTS.map((event) => [
        camel(event),
        {
          name: event,
          title: `Webhook ${event}`,
          summary: `POSTed to subscribed URLs (and job callbackUrls) as ${event}; the body's type is "${event}".`,
          contentType: 'application/json',
          headers: WEBHOOK_MESSAGE_HEADERS,
          payload: schemaRef('WebhookEvent'),
        },
      ]),
    ),
  };
}

const messageRefs = (names: string[]) => Object.fromEntries(names.map((name) => [name, ref(`#/components/messages/${name}`)]));

/**
 * The AsyncAPI 3.0 document of longhaul's event contracts — the Kafka jobs topic and its dead letter
 * topic, the Server-Sent Events of job progress, the webhook events — with the schemas of the OpenAPI
 * document, shared, not copied by hand.
 */
export function buildAsyncApiDocument(openApi: OpenAPIObject): Record<string, unknown> {
  const sseMessages = SSE_EVENTS.map((event) => `${event.name}Event`);
  const webhookMessages = WEBHOOK_EVENTS.map(camel);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'longhaul events',
      version: API_VERSION,
      description:
        'The event contracts of longhaul: job requests on Kafka, the dead letter topic, Server-Sent Events of job progress and the webhook events. ' +
        'Schemas are those of the OpenAPI document (/docs-json). Topic names are the defaults (KAFKA_TOPIC, KAFKA_DLT_TOPIC).',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: 'localhost:9092', protocol: 'kafka', description: 'The brokers of KAFKA_BROKERS' },
      api: { host: 'localhost:3000', protocol: 'http', description: 'The longhaul API (Server-Sent Events)' },
    },
    channels: {
      jobRequests: {
        address: 'report-jobs',
        title: 'Jobs topic',
        description: 'KAFKA_TOPIC. Consumed by the group KAFKA_GROUP_ID; longhaul’s outbox also publishes dispatches here.',
        servers: [ref('#/servers/kafka')],
        messages: messageRefs(['KafkaJobMessage']),
      },
      deadLetters: {
        address: 'report-jobs.DLT',
        title: 'Dead letter topic',
        description: 'KAFKA_DLT_TOPIC (default <KAFKA_TOPIC>.DLT): refused records, and a record per DEAD job.',
        servers: [ref('#/servers/kafka')],
        messages: messageRefs(['RefusedMessage', 'DeadJobRecord']),
      },
      jobProgress: {
        address: '/jobs/{jobId}/progress',
        title: 'One job’s Server-Sent Events',
        description: 'GET it with Accept: text/event-stream; resume with Last-Event-ID. Ends after the terminal status event.',
        servers: [ref('#/servers/api')],
        parameters: { jobId: { description: 'The job id (a UUID)' } },
        messages: messageRefs(sseMessages),
      },
      jobsProgress: {
        address: '/jobs/progress',
        title: 'Many jobs’ Server-Sent Events',
        description: 'GET /jobs/progress?ids=a,b,c (1 to 100 job ids): a snapshot per job, then their events, without event ids.',
        servers: [ref('#/servers/api')],
        messages: messageRefs(sseMessages),
      },
      webhookEvents: {
        address: null,
        title: 'Webhook receivers',
        description: 'The URL of each subscription (POST /webhooks) and each job’s callbackUrl. Standard Webhooks signatures.',
        messages: messageRefs(webhookMessages),
      },
    },
    operations: {
      consumeJobRequests: {
        action: 'receive',
        channel: ref('#/channels/jobRequests'),
        summary: 'Workers create and run the jobs these records ask for',
        messages: [ref('#/channels/jobRequests/messages/KafkaJobMessage')],
      },
      publishDeadLetters: {
        action: 'send',
        channel: ref('#/channels/deadLetters'),
        summary: 'Refused records and DEAD jobs, each with reason and code headers',
        messages: [ref('#/channels/deadLetters/messages/RefusedMessage'), ref('#/channels/deadLetters/messages/DeadJobRecord')],
      },
      streamJobProgress: {
        action: 'send',
        channel: ref('#/channels/jobProgress'),
        summary: 'Push progress and status changes of one job',
        messages: sseMessages.map((name) => ref(`#/channels/jobProgress/messages/${name}`)),
      },
      streamJobsProgress: {
        action: 'send',
        channel: ref('#/channels/jobsProgress'),
        summary: 'Push progress and status changes of many jobs',
        messages: sseMessages.map((name) => ref(`#/channels/jobsProgress/messages/${name}`)),
      },
      deliverWebhookEvents: {
        action: 'send',
        channel: ref('#/channels/webhookEvents'),
        summary: 'POST signed job events to receivers, retried with backoff',
        messages: webhookMessages.map((name) => ref(`#/channels/webhookEvents/messages/${name}`)),
      },
    },
    components: {
      schemas: sharedSchemas((openApi.components?.schemas ?? {}) as Record<string, Schema>, ['KafkaJobMessage', 'DeadJobRecord', ...SSE_EVENTS.map((event) => event.schema), 'WebhookEvent']),
      messages: messages(),
    },
  };
}
