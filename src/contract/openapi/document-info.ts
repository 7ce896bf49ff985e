import { DocumentBuilder } from '@nestjs/swagger';
import { API_KEY_SCHEME, BEARER_SCHEME } from '../../auth/access.decorator.js';

export const API_VERSION = '0.1.0';

const DESCRIPTION = [
  'Long-running asynchronous jobs: submit (202 Accepted), follow by polling, Server-Sent Events or webhooks, then fetch the result.',
  '',
  'Polling: `GET /jobs/{id}/status` always answers 200 (poll it until `status` is COMPLETED, DEAD, CANCELLED or EXPIRED, honouring `Retry-After`), ' +
    'then fetch `resultUrl`. `GET /jobs/{id}` answers 303 See Other to the result once COMPLETED, for HTTP clients that follow redirects.',
  '',
  'Submissions take `Prefer: wait=N` (RFC 7240) to wait for a quick job, and `Idempotency-Key` to make retries safe.',
  'Errors are application/problem+json (RFC 9457) with a stable `type`. The event contracts (the Kafka topics, Server-Sent Events and webhooks) are in the AsyncAPI document at /asyncapi.json.',
].join('\n');

/** Tags in the order a reader meets them. */
export const TAGS = [
  { name: 'jobs', description: 'Submit, poll, follow and cancel jobs; fetch results' },
  { name: 'uploads', description: 'Files for jobs to read (e.g. video.transcode): one form post for small files; large ones resumably over tus 1.0 at /uploads' },
  { name: 'reports', description: 'The activity report: a `report` job with its own routes' },
  { name: 'schedules', description: 'Persistent cron schedules that submit jobs' },
  { name: 'webhooks', description: 'Subscriptions to job events, their deliveries and the events themselves' },
  { name: 'notifications', description: 'Email notifications of job events: tenant subscriptions (a job may also name addresses in notify)' },
  { name: 'dead-letters', description: 'DEAD jobs and their replays (operators)' },
  { name: 'audit', description: 'The append-only audit trail of admin and security-relevant actions (operators)' },
  { name: 'api-keys', description: 'API keys managed at run time (operators)' },
  { name: 'health', description: 'Liveness and readiness probes' },
];

export function documentInfo() {
  const builder = new DocumentBuilder()
    .setTitle('longhaul')
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('http://localhost:3000', 'A local longhaul (npm start); clients take their own base URL')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS (role:name:secret[:tenant])' }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same key, in a header of its own' }, API_KEY_SCHEME);
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  return builder.build();
}
