import { applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse } from '@nestjs/swagger';
import { JobAcceptedDto } from './dto/job-views.dto.js';
import { IDEMPOTENCY_KEY_SCHEMA } from './idempotency-key.js';
import { FINISHED_HEADERS, SUBMITTED_HEADERS } from './job-responses.js';

/** OpenAPI of a submission: Idempotency-Key and Prefer in; 202 (or 200 after `Prefer: wait`) out. */
export function SubmissionDocs(base: string, accepted: string) {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      schema: IDEMPOTENCY_KEY_SCHEMA,
      description: 'Same key + same body: the same job (202 again); another body: 409.',
    }),
    ApiHeader({
      name: 'Prefer',
      required: false,
      schema: { type: 'string', examples: ['wait=10', 'respond-async'] },
      description:
        'RFC 7240. `respond-async`: answer 202 at once. `wait=N`: wait up to N seconds (capped by the server setting PREFER_WAIT_MAX_SECONDS) ' +
        'for the job to finish; 200 if it did, else 202 as usual. Preference-Applied says what was honoured.',
    }),
    ApiOkResponse({ type: JobAcceptedDto, description: 'Finished within `Prefer: wait` (COMPLETED, DEAD, CANCELLED or EXPIRED)', headers: FINISHED_HEADERS(base) }),
    ApiAcceptedResponse({ type: JobAcceptedDto, description: accepted, headers: SUBMITTED_HEADERS(base) }),
  );
}
