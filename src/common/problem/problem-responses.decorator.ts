import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  403: 'Not allowed for this key (only admin keys may name another tenant)',
  404: 'Unknown resource',
  409: 'Conflict (idempotency key reused, or the job is not in the right state)',
  410: 'The result expired (RESULT_TTL_SECONDS); `expiredAt` says when',
  413: 'Request body over the limit (BODY_LIMIT_BYTES)',
  415: 'The body is not application/json',
  422: 'Unknown job type; `knownTypes` lists the valid ones',
  500: 'Unexpected error; `errorId` identifies it in the server log',
  503: 'The database is unreachable; retry after `Retry-After` seconds',
};

const RETRY_AFTER = { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const, minimum: 0 } };

/** The OpenAPI response object of an application/problem+json answer. */
export function problemResponse(status: number, description?: string) {
  return {
    description: description ?? DESCRIPTIONS[status] ?? 'Problem',
    ...(status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
  };
}

/** Documents application/problem+json answers for the given status codes. */
export function ProblemResponses(...statuses: number[]) {
  return DescribedProblemResponses({}, ...statuses);
}

/** The same, with descriptions of this resource's own that override the general ones. */
export function DescribedProblemResponses(descriptions: Record<number, string>, ...statuses: number[]) {
  return applyDecorators(ApiExtraModels(ProblemDto), ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status, descriptions[status]) })));
}
