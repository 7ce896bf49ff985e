import type { FastifyReply } from 'fastify';
import { StreamableFile } from '@nestjs/common';
import { isTerminal } from './domain/job-state-machine.js';
import { JobStatus } from './domain/job-status.js';
import type { JobAcceptedDto, JobDto } from './dto/job-views.dto.js';
import type { Job } from './job.js';
import { resultUrl, toJobDto } from './job-view.mapper.js';
import type { ResultRedirects } from '../results/result-redirects.js';
import type { StoredResult } from '../results/result-store.port.js';

export const RETRY_AFTER_SECONDS = 2;

const RETRY_AFTER = { description: 'Seconds to wait before polling again', schema: { type: 'integer' as const, minimum: 0 } };
const PREFERENCE_APPLIED = {
  description: 'The RFC 7240 preferences honoured: `respond-async`, and `wait=N` with the seconds actually waited for (capped by PREFER_WAIT_MAX_SECONDS)',
  schema: { type: 'string' as const, examples: ['respond-async, wait=10'] },
};

/** OpenAPI: the answer of a result endpoint with RESULT_DELIVERY=redirect (no body). */
export const RESULT_REDIRECT = {
  status: 303,
  description: 'RESULT_DELIVERY=redirect and the result is in S3: Location is a short-lived presigned URL',
  headers: { Location: { description: 'A presigned GET of the result', required: true, schema: { type: 'string' as const, format: 'uri' } } },
};

/** OpenAPI: the headers of every 202 Accepted. */
export const ACCEPTED_HEADERS = (base: string) => ({
  Location: { description: `${base}/{id}: poll it`, required: true, schema: { type: 'string' as const, format: 'uri-reference' } },
  'Retry-After': { ...RETRY_AFTER, required: true },
});
/** OpenAPI: a submission's 202, and the 200 a `Prefer: wait` may turn it into. */
export const SUBMITTED_HEADERS = (base: string) => ({ ...ACCEPTED_HEADERS(base), 'Preference-Applied': PREFERENCE_APPLIED });
export const FINISHED_HEADERS = (base: string) => ({
  'Content-Location': { description: `${base}/{id}: the job this answer describes`, required: true, schema: { type: 'string' as const, format: 'uri-reference' } },
  'Preference-Applied': PREFERENCE_APPLIED,
});
/** OpenAPI: the headers of a 200 poll (Retry-After while the job is still going) and of the 303 once COMPLETED. */
export const POLL_HEADERS = { 'Retry-After': { ...RETRY_AFTER, description: 'Present while the job is not finished: seconds to wait before polling again' } };
export const REDIRECT_HEADERS = (base: string) => ({
  Location: { description: `${base}/{id}/result`, required: true, schema: { type: 'string' as const, format: 'uri-reference' } },
});

function submission(job: Job, base: string): JobAcceptedDto {
  return { jobId: job.id, status: job.status, statusUrl: `${base}/${job.id}`, progressUrl: `/jobs/${job.id}/progress`, resultUrl: resultUrl(job, base) };
}

/** 202 Accepted with Location and Retry-After; shared by /jobs and /reports. */
export function accepted(reply: FastifyReply, job: Job, base: string): JobAcceptedDto {
  const answer = submission(job, base);
  void reply.status(202).header('Location', answer.statusUrl).header('Retry-After', String(RETRY_AFTER_SECONDS));
  return answer;
}

/** 200 OK for a job that finished while the client waited (`Prefer: wait`): the job's links, and its result link once COMPLETED. */
export function finished(reply: FastifyReply, job: Job, base: string): JobAcceptedDto {
  const answer = submission(job, base);
  void reply.status(200).header('Content-Location', answer.statusUrl);
  return answer;
}

/** 303 to the result once COMPLETED (the body is the job, as on a 200), else 200 with the job (and Retry-After while it is still going). */
export function jobOrRedirect(reply: FastifyReply, job: Job, base: string): JobDto {
  if (job.status === JobStatus.COMPLETED) void reply.status(303).header('Location', `${base}/${job.id}/result`);
  else retryAfterWhileGoing(reply, job);
  return toJobDto(job, base);
}

/** Retry-After on a poll of a job that is not finished: how long to wait before the next poll. */
export function retryAfterWhileGoing(reply: FastifyReply, job: Job): void {
  if (!isTerminal(job.status)) void reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
}

export function resultFile(result: StoredResult): StreamableFile {
  return new StreamableFile(result.stream, { type: result.contentType, length: result.sizeBytes });
}

/** RESULT_DELIVERY=redirect: 303 to a presigned URL when a COMPLETED job's result is in S3; false: stream it. */
export async function redirectToResult(reply: FastifyReply, job: Job, redirects: ResultRedirects): Promise<boolean> {
  // An expired result is never handed out: the caller then answers 410 like the streaming path.
  const url = job.status === JobStatus.COMPLETED && job.resultRef && !job.resultExpired ? await redirects.urlFor(job.id, job.resultRef) : null;
  if (url) void reply.status(303).header('Location', url).header('Cache-Control', 'no-store');
  return url !== null;
}
