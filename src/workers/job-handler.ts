import type { Readable } from 'node:stream';
import type { ResultRef } from '../results/result-ref.js';

/** A named file of the result (e.g. a rendition), kept beside it in the result store. */
export interface ResultFile {
  /** Letters, digits, `.`, `_`, `-` (RESULT_FILE_NAME); unique within the job. */
  name: string;
  contentType: string;
  body: Buffer | Readable;
}

export interface JobContext {
  readonly jobId: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The tenant the job belongs to: what it reads on its behalf must be this tenant's. */
  readonly tenant: string;
  /** Aborted when the job is cancelled, its lease is lost, or the process shuts down. */
  readonly signal: AbortSignal;
  /** Report progress as often as you like; writes are coalesced and never go backwards. */
  progress(percent: number, message?: string): void;
  /**
   * Writes a named file of this attempt's result. It becomes visible only if this attempt completes
   * the job (published in the completing transaction, listed in the result's `files`); when the
   * attempt fails or loses the job, it is discarded.
   */
  stageFile(file: ResultFile): Promise<ResultRef>;
}

/** What a handler returns: a JSON value, or a body with its content type (strings, buffers or streams). */
export type JobOutput =
  | { kind: 'json'; value: unknown }
  | { kind: 'body'; contentType: string; body: string | Buffer | Readable };

export interface JobHandler<P extends object = object> {
  handle(payload: P, context: JobContext): Promise<JobOutput | undefined>;
  /**
   * Optional: checks a submission against what only this type knows (say, that the upload it names
   * exists in the submitter's tenant), on the node that accepts it. Throw a ProblemException to refuse it.
   */
  admit?(payload: P, submission: { tenant: string }): Promise<void>;
}

/** Throw this to fail a job at once, without retries (BullMQ's UnrecoverableError). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export const jsonOutput = (value: unknown): JobOutput => ({ kind: 'json', value });
