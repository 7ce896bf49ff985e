import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DataSource, type EntityManager } from 'typeorm';
import type { ResultRef } from '../../jobs/job.js';
import { ResultStore, type ResultToStore, type StoredResult } from '../result-store.port.js';

@Injectable()
export class DatabaseResultStore extends ResultStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  async save(jobId: string, result: ResultToStore, tx: Pick<EntityManager, 'query'> = this.db): Promise<ResultRef> {
    const body = Buffer.isBuffer(result.body) ? result.body : await buffer(result.body);
    await tx.query(
      `INSERT INTO job_results (job_id, content_type, body) VALUES ($1, $2, $3)
       ON CONFLICT (job_id) DO UPDATE SET content_type = excluded.content_type, body = excluded.body, created_at = now()`,
      [jobId, result.contentType, body],
    );
    return { store: 'database', contentType: result.contentType, sizeBytes: body.length };
  }

  async open(jobId: string): Promise<StoredResult | null> {
    const rows = await this.db.query<Array<{
      content_type: string;
      body: Buffer;
    }>>(`SELECT content_type, body FROM job_results WHERE job_id = $1`, [jobId]);
    if (rows.length === 0) return null;
    return { contentType: rows[0].content_type, sizeBytes: rows[0].body.length, stream: Readable.from([rows[0].body]) };
  }
}
