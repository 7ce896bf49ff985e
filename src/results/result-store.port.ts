import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { ResultRef } from '../jobs/job.js';

export interface ResultToStore {
  contentType: string;
  body: Buffer | Readable;
}

export interface StoredResult {
  contentType: string;
  sizeBytes: number;
  stream: Readable;
}

/** Where job results live. Small ones sit in the database; large ones are streamed to files. */
export abstract class ResultStore {
  /** `tx`: the transaction that completes the job, so a stored result and COMPLETED commit together. */
  abstract save(jobId: string, result: ResultToStore, tx?: Pick<EntityManager, 'query'>): Promise<ResultRef>;
  abstract open(jobId: string, ref: ResultRef): Promise<StoredResult | null>;
}
