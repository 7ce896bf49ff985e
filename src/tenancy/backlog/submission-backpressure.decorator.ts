import { applyDecorators, UseGuards } from '@nestjs/common';
import { DescribedProblemResponses } from '../../common/problem/problem-responses.decorator.js';
import { BacklogGuard } from './backlog.guard.js';

/** On routes that create jobs: 429 + Retry-After while the tenant's backlog is full (MAX_QUEUED_JOBS_PER_TENANT). */
export function SubmissionBackpressure() {
  return applyDecorators(
    UseGuards(BacklogGuard),
    DescribedProblemResponses({ 429: 'Too many requests, or the tenant has too many unfinished jobs (`Retry-After`)' }, 429),
  );
}
