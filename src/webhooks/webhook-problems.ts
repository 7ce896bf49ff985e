import { DescribedProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { urlRefused } from '../common/outbound-url/url-refused.problem.js';

/** The webhook API's problem types (RFC 9457), beside the shared ones in common/problem. */
export const WebhookProblems = {
  notFound: (id: string) => new ProblemException(404, 'webhook-not-found', 'Webhook not found', `no webhook with id ${id}`),
  deliveryNotFound: (id: string) =>
    new ProblemException(404, 'webhook-delivery-not-found', 'Webhook delivery not found', `no delivery with id ${id}`),
  urlRefused,
  deliveryInProgress: (id: string, status: string) =>
    new ProblemException(409, 'webhook-delivery-in-progress', 'Delivery still in progress', `delivery ${id} is ${status}; redeliver once it has finished`, {
      deliveryStatus: status,
    }),
  disabled: (id: string) =>
    new ProblemException(409, 'webhook-disabled', 'Webhook disabled', `webhook ${id} is disabled; PATCH it with {"enabled": true} first`),
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  403: 'Not allowed for this key (only admin keys may name another tenant)',
  404: 'Unknown webhook or delivery',
  409: 'The webhook is disabled, or the delivery is still in progress',
  422: 'The URL is not allowed: not http(s), or it resolves to a loopback, private, link-local or metadata address',
};

/** Documents application/problem+json answers with webhook-specific descriptions. */
export function WebhookProblemResponses(...statuses: number[]) {
  return DescribedProblemResponses(DESCRIPTIONS, ...statuses);
}
