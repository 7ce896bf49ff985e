import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ItemFailure, MicroBatcher } from '../common/async/micro-batcher.js';
import type { Job } from '../jobs/job.js';
import { JobsRepository, type TransitionedJob } from '../jobs/jobs.repository.js';
import { ResultStore, type ResultRef, type StagedResult } from '../results/result-store.port.js';

interface Completion {
  job: Job;
  staged: StagedResult | null;
  /** Named files of the result: listed in its ref, committed and discarded with it. */
  files: ReadonlyMap<string, StagedResult>;
  /** The handler's last progress message, written by the completing statement itself. */
  progressMessage: string | null;
}

/**
 * Group commit of completions: attempts finishing while a commit is under way go together in the next
 * one — one statement fences and completes them all (each on its own attempt) and their staged results
 * commit in the same transaction (many rows per statement). Under light load each completes alone at once. A batch that fails is
 * retried job by job, so one bad result cannot fail the others.
 */
@Injectable()
export class JobCompletions {
  private readonly logger = new Logger(JobCompletions.name);
  private readonly batcher = new MicroBatcher<Completion, TransitionedJob | null>((batch) => this.completeBatch(batch));

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly results: ResultStore,
  ) {}

  /** The moved job, or null when the attempt no longer held it (what it staged is then discarded). */
  complete(job: Job, staged: StagedResult | null, files: ReadonlyMap<string, StagedResult>, progressMessage: string | null): Promise<TransitionedJob | null> {
    return this.batcher.submit({ job, staged, files, progressMessage });
  }

  private async completeBatch(batch: Completion[]): Promise<Array<TransitionedJob | null | ItemFailure>> {
    let outcome: Array<TransitionedJob | null>;
    try {
      outcome = await this.commit(batch);
    } catch (error) {
      if (batch.length === 1) {
        await discard(batch[0]);
        throw error;
      }
      this.logger.warn({ msg: 'a batch of completions failed; completing them one by one', size: batch.length, error: String(error) });
      return Promise.all(batch.map((item) => this.completeAlone(item).catch((alone: unknown) => new ItemFailure(alone))));
    }
    for (const [index, item] of batch.entries()) if (!outcome[index]) await discard(item);
    return outcome;
  }

  private async completeAlone(item: Completion): Promise<TransitionedJob | null> {
    try {
      const [moved] = await this.commit([item]);
      if (!moved) await discard(item);
      return moved ?? null;
    } catch (error) {
      await discard(item);
      throw error;
    }
  }

  /** One transaction when results must commit with the completions; a batch with none is one autocommit statement. */
  private commit(batch: Completion[]): Promise<Array<TransitionedJob | null>> {
    const withResults = batch.some((item) => item.staged !== null || item.files.size > 0);
    return this.jobs.transactionIf(withResults, async (tx) => {
      const moved = await this.jobs.completeMany(
        batch.map(({ job, staged, files, progressMessage }) => ({ id: job.id, attempt: job.attempts, result: resultRefOf(staged, files), progressMessage })),
        this.config.retention.resultSeconds * 1000,
        tx,
      );
      const won = new Map(moved.map((job) => [job.id, job]));
      const outcome = batch.map(({ job }) => {
        const moved = won.get(job.id);
        return moved && moved.attempts === job.attempts ? moved : null;
      });
      const winners = batch.filter((_, index) => outcome[index]).flatMap((item) => [...(item.staged ? [item.staged] : []), ...item.files.values()]);
      await this.results.commitAll(winners, tx);
      return outcome;
    });
  }
}

/** The ref the job row keeps: the main result's, listing its named files. */
function resultRefOf(staged: StagedResult | null, files: ReadonlyMap<string, StagedResult>): ResultRef | null {
  if (!staged) return null;
  if (files.size === 0) return staged.ref;
  return { ...staged.ref, files: Object.fromEntries([...files].map(([name, file]) => [name, file.ref])) };
}

async function discard(item: Completion): Promise<void> {
  await Promise.all([item.staged, ...item.files.values()].flatMap((staged) => (staged ? [staged.discard()] : [])));
}
