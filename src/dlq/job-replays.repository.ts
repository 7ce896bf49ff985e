import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface JobReplay {
  deadJobId: string;
  newJobId: string;
  payloadChanged: boolean;
  replayedAt: Date;
}

type ReplayRow = { dead_job_id: string; new_job_id: string; payload_changed: boolean; replayed_at: Date };

const toReplay = (row: ReplayRow): JobReplay => ({
  deadJobId: row.dead_job_id,
  newJobId: row.new_job_id,
  payloadChanged: row.payload_changed,
  replayedAt: row.replayed_at,
});

/** The link from a dead job to the jobs that replayed it (a dead job itself never changes). */
@Injectable()
export class JobReplaysRepository {
  constructor(private readonly db: DataSource) {}

  async record(deadJobId: string, newJobId: string, payloadChanged: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO job_replays (dead_job_id, new_job_id, payload_changed) VALUES ($1, $2, $3) ON CONFLICT (new_job_id) DO NOTHING`,
      [deadJobId, newJobId, payloadChanged],
    );
  }

  async forDeadJobs(deadJobIds: string[]): Promise<JobReplay[]> {
    if (deadJobIds.length === 0) return [];
    const rows = await this.db.query<ReplayRow[]>(
      `SELECT * FROM job_replays WHERE dead_job_id = ANY($1::uuid[]) ORDER BY id`,
      [deadJobIds],
    );
    return rows.map(toReplay);
  }
}
