import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  403: 'Not allowed for this key (only admin keys may name another tenant)',
  404: 'Unknown resource',
  409: 'Conflict (idempotency key reused, or the job is not in the right state)',
  410: 'The result expired (RESULT_TTL_SECONDS); `expiredAt` says when',
  413: 'Request body over the limit',
  422: 'Unknown job type; `knownTypes` lists the valid ones',
};

/** Documents application/problem+json answers for the given status codes. */
export function ProblemResponses(...statuses: number[]) {
  return DescribedProblemResponses({}, ...statuses);
}

/** The same, with descriptions of this resource's own that override the general ones. */
export function DescribedProblemResponses(descriptions: Record<number, string>, ...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: descriptions[status] ?? DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
