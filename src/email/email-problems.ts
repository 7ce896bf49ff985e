import { DescribedProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { ProblemException } from '../common/problem/problem.exception.js';

export const EmailProblems = {
  notFound: (id: string) =>
    new ProblemException(404, 'email-subscription-not-found', 'Email subscription not found', `no email subscription with id ${id}`),
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (an address that is not an email address, an unknown event); `errors` names each field',
  403: 'Not allowed for this key (only admin keys may name another tenant)',
  404: 'Unknown email subscription',
};

export function EmailProblemResponses(...statuses: number[]) {
  return DescribedProblemResponses(DESCRIPTIONS, ...statuses);
}
