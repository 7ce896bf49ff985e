import { HttpException } from '@nestjs/common';
import type { FieldError } from '../validation/validate-object.js';

export const PROBLEM_BASE = 'https://longhaul.dev/problems/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** An RFC 9457 problem with a stable `type`; every 4xx the app raises on purpose is one of these. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    extensions: Record<string, unknown> = {},
  ) {
    // Extensions first: they may never overwrite the RFC 9457 members (a `status` extension once made every 409 a 500).
    super({ ...extensions, type: PROBLEM_BASE + slug, title, status, detail } satisfies ProblemBody, status);
  }

  get problem(): ProblemBody {
    return this.getResponse() as ProblemBody;
  }
}

/** A validation answer lists at most this many errors, then how many more there were. */
export const MAX_REPORTED_ERRORS = 20;
const MAX_FIELD_TEXT = 200;

function reportedErrors(errors: FieldError[]): FieldError[] {
  return errors.slice(0, MAX_REPORTED_ERRORS).map((e) => ({ field: e.field.slice(0, MAX_FIELD_TEXT), message: e.message.slice(0, MAX_FIELD_TEXT) }));
}

export const Problems = {
  validation: (errors: FieldError[]) => {
    const reported = reportedErrors(errors);
    const more = errors.length - reported.length;
    const detail = reported.map((e) => `${e.field}: ${e.message}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
    return new ProblemException(400, 'validation', 'Request validation failed', detail, { errors: reported, ...(more > 0 ? { moreErrors: more } : {}) });
  },
  jobNotFound: (id: string) => new ProblemException(404, 'job-not-found', 'Job not found', `no job with id ${id}`),
  unknownJobType: (type: string, known: string[]) =>
    new ProblemException(422, 'unknown-job-type', 'Unknown job type', `"${type}" is not a known job type`, {
      knownTypes: known,
    }),
  idempotencyConflict: (key: string, jobId: string) =>
    new ProblemException(
      409,
      'idempotency-key-conflict',
      'Idempotency-Key reused with a different request',
      `the key "${key}" was first used for another request body (job ${jobId})`,
      { jobId },
    ),
  jobIdTaken: (id: string) => new ProblemException(409, 'job-id-taken', 'Job id taken', `the job id ${id} is already in use`),
  resultNotReady: (id: string, status: string) =>
    new ProblemException(409, 'result-not-ready', 'Result not available', `job ${id} is ${status}, not COMPLETED`, {
      jobStatus: status,
    }),
  resultExpired: (id: string, expiredAt: Date) =>
    new ProblemException(410, 'result-expired', 'Result expired', `the result of job ${id} expired at ${expiredAt.toISOString()}`, {
      expiredAt: expiredAt.toISOString(),
    }),
  resultFileNotFound: (id: string, name: string) =>
    new ProblemException(404, 'result-file-not-found', 'Result file not found', `the result of job ${id} has no file named "${name}"`),
  alreadyFinished: (id: string, status: string) =>
    new ProblemException(409, 'job-already-finished', 'Job already finished', `job ${id} is ${status}`, { jobStatus: status }),
};
