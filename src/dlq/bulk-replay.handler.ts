import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobsService } from '../jobs/jobs.service.js';
import { CROSS_TENANT } from '../common/tenant.js';
import { ALL_TENANTS } from '../tenancy/tenant-scope.js';
import { JobHandlerFor } from '../workers/job-handler.decorator.js';
import { PermanentJobError, jsonOutput, type JobContext, type JobHandler, type JobOutput } from '../workers/job-handler.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { BULK_REPLAY_TYPE, DeadLettersService, bulkFilter } from './dead-letters.service.js';
import { BulkReplayPayloadDto, BulkReplayResultDto } from './dto/bulk-replay-payload.dto.js';

const PAGE = 100;

/**
 * A bulk replay as a job: counts what the filter matches, then replays one dead job at a time at
 * `ratePerSecond` (the n-th replay no earlier than n/rate seconds after the start), reporting progress;
 * cancelling the job stops it between two replays.
 */
@Injectable()
@JobHandlerFor({
  type: BULK_REPLAY_TYPE,
  payload: BulkReplayPayloadDto,
  result: { json: BulkReplayResultDto },
  description: 'Internal: replays dead jobs at a set rate; started by POST /admin/dlq/replay (admins only)',
  internal: true,
})
export class BulkReplayHandler implements JobHandler<BulkReplayPayloadDto> {
  private readonly logger = new Logger(BulkReplayHandler.name);

  constructor(
    private readonly jobs: JobsService,
    private readonly deadLetters: DeadLettersService,
    private readonly repository: DeadLettersRepository,
  ) {}

  async handle(payload: BulkReplayPayloadDto, context: JobContext): Promise<JobOutput> {
    // Only POST /admin/dlq/replay makes cross-tenant jobs: a key of one tenant submitting this type gets nothing done.
    const self = await this.jobs.get(context.jobId, ALL_TENANTS);
    if (self.tenant !== CROSS_TENANT) throw new PermanentJobError(`${BULK_REPLAY_TYPE} jobs are started through POST /admin/dlq/replay`);

    const filter = bulkFilter(payload.filter);
    const matched = await this.repository.count(filter);
    const outcome = { matched, replayed: 0, skipped: 0, failed: 0 };
    const startedAt = Date.now();
    let done = 0;
    let before: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await this.repository.list(filter, before, PAGE);
      for (const dead of page) {
        const due = startedAt + (done * 1000) / payload.ratePerSecond;
        if (due > Date.now()) await sleep(due - Date.now(), undefined, { signal: context.signal });
        context.signal.throwIfAborted();
        try {
          outcome[await this.deadLetters.replayOnce(dead, payload.payloadPatch)] += 1;
        } catch (error) {
          outcome.failed += 1;
          this.logger.warn({ msg: 'bulk replay could not replay a dead job', jobId: context.jobId, deadJobId: dead.id, error: String(error) });
        }
        done += 1;
        context.progress(Math.min(99, Math.floor((done * 100) / Math.max(matched, 1))), `${done} of ${matched}`);
      }
      const last = page.at(-1);
      if (page.length < PAGE || !last) break;
      before = { createdAt: last.createdAt, id: last.id };
    }
    // A dead job counted at the start that another run (or a single replay) replayed before this run
    // listed it is no longer listed: it was skipped all the same.
    outcome.skipped += Math.max(0, matched - done);
    this.logger.log({ msg: 'bulk replay finished', jobId: context.jobId, ...outcome });
    return jsonOutput(outcome);
  }
}
