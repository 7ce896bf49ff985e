import { CROSS_TENANT } from '../common/tenant.js';
import type { Job } from '../jobs/job.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { JobContext } from '../workers/job-handler.js';
import { BulkReplayHandler } from './bulk-replay.handler.js';
import type { DeadLettersRepository } from './dead-letters.repository.js';
import type { DeadLettersService } from './dead-letters.service.js';
import type { BulkReplayPayloadDto } from './dto/bulk-replay-payload.dto.js';

const dead = (n: number) => ({ id: `dead-${n}`, createdAt: new Date(1_000 - n) }) as Job;

/** The tally of a bulk run: every dead job it counted at the start ends up in exactly one bucket. */
describe('BulkReplayHandler', () => {
  const context = (): JobContext =>
    ({ jobId: 'bulk-1', attempt: 1, maxAttempts: 1, tenant: CROSS_TENANT, signal: new AbortController().signal, progress: () => undefined, stageFile: () => Promise.reject(new Error('unused')) });
  const payload = { filter: {}, ratePerSecond: 1000 } as BulkReplayPayloadDto;

  const handler = (counted: number, listed: Job[], outcomes: Array<'replayed' | 'skipped' | Error>) => {
    const jobs = { get: () => Promise.resolve({ tenant: CROSS_TENANT }) } as unknown as JobsService;
    const repository = { count: () => Promise.resolve(counted), list: () => Promise.resolve(listed) } as unknown as DeadLettersRepository;
    let call = 0;
    const service = {
      replayOnce: () => {
        const outcome = outcomes[call++];
        return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
      },
    } as unknown as DeadLettersService;
    return new BulkReplayHandler(jobs, service, repository);
  };
  const tally = async (h: BulkReplayHandler) => ((await h.handle(payload, context())) as { value: Record<string, number> }).value;

  it('counts a dead job that another run replayed between the count and the listing as skipped', async () => {
    // Five matched when counted; by the time the run listed them, another run had replayed one.
    const h = handler(5, [dead(1), dead(2), dead(3), dead(4)], ['replayed', 'skipped', 'replayed', 'replayed']);
    expect(await tally(h)).toEqual({ matched: 5, replayed: 3, skipped: 2, failed: 0 });
  });

  it('reports refusals as failed, and never a negative skip when more died meanwhile', async () => {
    const h = handler(2, [dead(1), dead(2), dead(3)], ['replayed', new Error('invalid payload'), 'replayed']);
    expect(await tally(h)).toEqual({ matched: 2, replayed: 2, skipped: 0, failed: 1 });
  });
});
