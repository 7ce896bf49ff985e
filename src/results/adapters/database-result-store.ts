import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DataSource } from 'typeorm';
import {
  ResultStore,
  type ResultOwner,
  type ResultRef,
  type ResultToStore,
  type ResultTransaction,
  type StagedResult,
  type StoredResult,
} from '../result-store.port.js';

interface ResultRow {
  jobId: string;
  attempt: number;
  contentType: string;
  body: Buffer;
}

/**
 * Results in `job_results`, written by the completing transaction itself: a stale attempt's insert
 * rolls back with its refused completion. One row per job (a second insert would be a bug, and fails).
 */
@Injectable()
export class DatabaseResultStore extends ResultStore {
  /** The row each result staged here will insert. */
  private readonly rows = new WeakMap<StagedResult, ResultRow>();

  constructor(private readonly db: DataSource) {
    super();
  }

  async stage(owner: ResultOwner, result: ResultToStore): Promise<StagedResult> {
    if (owner.name !== undefined) throw new Error('named result files are kept in files or S3, never in the database');
    const body = Buffer.isBuffer(result.body) ? result.body : await buffer(result.body);
    const ref: ResultRef = { store: 'database', contentType: result.contentType, sizeBytes: body.length, attempt: owner.attempt };
    const staged: StagedResult = {
      ref,
      commit: (tx) => this.commitAll([staged], tx),
      discard: () => Promise.resolve(),
    };
    this.rows.set(staged, { jobId: owner.jobId, attempt: owner.attempt, contentType: result.contentType, body });
    return staged;
  }

  /** One INSERT for every result staged here. */
  override async commitAll(staged: readonly StagedResult[], tx: ResultTransaction): Promise<void> {
    const rows = staged.flatMap((result) => {
      const row = this.rows.get(result);
      return row ? [row] : [];
    });
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO job_results (job_id, attempt, content_type, body)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bytea[])`,
      [rows.map((row) => row.jobId), rows.map((row) => row.attempt), rows.map((row) => row.contentType), rows.map((row) => row.body)],
    );
  }

  async open(jobId: string): Promise<StoredResult | null> {
    const rows = await this.db.query<Array<{ content_type: string; body: Buffer }>>(
      `SELECT content_type, body FROM job_results WHERE job_id = $1`,
      [jobId],
    );
    if (rows.length === 0) return null;
    return { contentType: rows[0].content_type, sizeBytes: rows[0].body.length, stream: Readable.from([rows[0].body]) };
  }

  async remove(jobId: string): Promise<void> {
    await this.db.query(`DELETE FROM job_results WHERE job_id = $1`, [jobId]);
  }
}
