import type { Readable } from 'node:stream';

export interface JobContext {
  readonly jobId: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when the job is cancelled, its lease is lost, or the process shuts down. */
  readonly signal: AbortSignal;
  /** Report progress as often as you like; writes are coalesced and never go backwards. */
  progress(percent: number, message?: string): void;
}

/** What a handler returns: a JSON value, or a body with its content type (strings, buffers or streams). */
export type JobOutput =
  | { kind: 'json'; value: unknown }
  | { kind: 'body'; contentType: string; body: string | Buffer | Readable };

export interface JobHandler<P extends object = object> {
  handle(payload: P, context: JobContext): Promise<JobOutput | undefined>;
}

/** Throw this to fail a job at once, without retries (BullMQ's UnrecoverableError). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export const jsonOutput = (value: unknown): JobOutput => ({ kind: 'json', value });
