import type { FastifyReply } from 'fastify';
import { StreamableFile } from '@nestjs/common';
import { JobStatus } from './domain/job-status.js';
import type { JobAcceptedDto, JobDto } from './dto/job-views.dto.js';
import type { Job } from './job.js';
import { toJobDto } from './job-view.mapper.js';
import type { ResultRedirects } from '../results/result-redirects.js';
import type { StoredResult } from '../results/result-store.port.js';

export const RETRY_AFTER_SECONDS = 2;

/** OpenAPI: what a result endpoint may send (the job decides: JSON or CSV). */
export const RESULT_CONTENT = {
  'application/json': { schema: { description: 'The JSON the job produced' } },
  'text/csv': { schema: { type: 'string' as const, description: 'CSV (reports with format=csv)' } },
};

/** OpenAPI: the answer of a result endpoint with RESULT_DELIVERY=redirect. */
export const RESULT_REDIRECT = { status: 303, description: 'RESULT_DELIVERY=redirect and the result is in S3: Location is a short-lived presigned URL' };

/** OpenAPI: the headers of every 202. */
export const ACCEPTED_HEADERS = (base: string) => ({
  Location: { description: `${base}/{id}: poll it`, schema: { type: 'string' as const } },
  'Retry-After': { description: 'Seconds to wait before polling', schema: { type: 'integer' as const } },
});

/** 202 Accepted with Location and Retry-After; shared by /jobs and /reports. */
export function accepted(reply: FastifyReply, job: Job, base: string): JobAcceptedDto {
  const statusUrl = `${base}/${job.id}`;
  void reply.status(202).header('Location', statusUrl).header('Retry-After', String(RETRY_AFTER_SECONDS));
  return { jobId: job.id, status: job.status, statusUrl, progressUrl: `/jobs/${job.id}/progress` };
}

/** 303 to the result once COMPLETED, else 200 with the job (and Retry-After while it is still going). */
export function jobOrRedirect(reply: FastifyReply, job: Job, base: string): JobDto {
  if (job.status === JobStatus.COMPLETED) {
    void reply.status(303).header('Location', `${base}/${job.id}/result`);
  } else if (![JobStatus.DEAD, JobStatus.CANCELLED].includes(job.status)) {
    void reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
  }
  return toJobDto(job, base);
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
