import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { RESULT_FILE_NAME, type ResultRef } from './result-ref.js';

export type { ResultRef };
export type ResultTransaction = Pick<EntityManager, 'query'>;

export interface ResultToStore {
  contentType: string;
  body: Buffer | Readable;
}

export interface StoredResult {
  contentType: string;
  sizeBytes: number;
  stream: Readable;
}

/** Which attempt of which job a result belongs to; `name` for one of its named files (RESULT_FILE_NAME). */
export interface ResultOwner {
  jobId: string;
  attempt: number;
  name?: string;
}

/**
 * A result written for one attempt, not yet the job's. The completing transaction calls `commit(tx)`
 * only after its fenced UPDATE matched (this attempt still holds the lease); otherwise the attempt is
 * stale and `discard()` removes what it wrote. Stores that write outside the database write to a
 * per-attempt location, so a stale attempt can never overwrite the winner's object.
 */
export interface StagedResult {
  readonly ref: ResultRef;
  commit(tx: ResultTransaction): Promise<void>;
  discard(): Promise<void>;
}

/** `${jobId}/${attempt}`, or `${jobId}/${attempt}-${name}` for a named file (never clashing with the main result). */
export function ownerPath(owner: ResultOwner): string {
  if (owner.name === undefined) return `${owner.jobId}/${owner.attempt}`;
  if (!RESULT_FILE_NAME.test(owner.name)) throw new Error(`"${owner.name}" is not a valid result file name`);
  return `${owner.jobId}/${owner.attempt}-${owner.name}`;
}

/** Where job results live. Small ones sit in the database; large ones are streamed to files (or objects). */
export abstract class ResultStore {
  abstract stage(owner: ResultOwner, result: ResultToStore): Promise<StagedResult>;
  /** Commits many staged results in the completing transaction (a store may write them in one statement). */
  async commitAll(staged: readonly StagedResult[], tx: ResultTransaction): Promise<void> {
    for (const result of staged) await result.commit(tx);
  }
  abstract open(jobId: string, ref: ResultRef): Promise<StoredResult | null>;
  /** Removes a committed result (retention); a missing one is not an error. */
  abstract remove(jobId: string, ref: ResultRef): Promise<void>;
}
