import type { JobEvent, JobEventSink, JobEventTransaction } from './job-event.js';
import type { JobEventOutboxRepository } from './job-event-outbox.repository.js';
import { JobEventRelay } from './job-event-relay.js';

const event = (n: number) => ({ transitionId: String(n) }) as JobEvent;

/** An outbox holding `pending` events, handed out in batches; a batch whose work throws stays pending. */
function outbox(pending: JobEvent[]) {
  const tx = { query: () => Promise.resolve([]) } as unknown as JobEventTransaction;
  return {
    pending,
    withPending: async <T>(limit: number, work: (events: JobEvent[], tx: JobEventTransaction) => Promise<T>) => {
      const batch = pending.slice(0, limit);
      const result = await work(batch, tx);
      pending.splice(0, batch.length);
      return result;
    },
  };
}

function sink(log: string[], fail = false): JobEventSink {
  return {
    name: 'test',
    record: (events) => {
      log.push(`record ${events.map((e) => e.transitionId).join(',')}`);
      return fail ? Promise.reject(new Error('sink down')) : Promise.resolve();
    },
    afterCommit: (events) => log.push(`after ${events.map((e) => e.transitionId).join(',')}`),
  };
}

describe('JobEventRelay', () => {
  it('hands every pending event to every sink inside the batch, then tells them after the commit', async () => {
    const store = outbox([event(1), event(2)]);
    const relay = new JobEventRelay(store as unknown as JobEventOutboxRepository);
    const log: string[] = [];
    relay.register(sink(log));
    await relay.onApplicationShutdown(); // the final drain
    expect(log).toEqual(['record 1,2', 'after 1,2']);
    expect(store.pending).toEqual([]);
  });

  it('keeps the events pending when a sink fails, so they are relayed again', async () => {
    const store = outbox([event(1)]);
    const relay = new JobEventRelay(store as unknown as JobEventOutboxRepository);
    const log: string[] = [];
    relay.register(sink(log, true));
    await relay.onApplicationShutdown();
    expect(log).toEqual(['record 1']);
    expect(store.pending).toHaveLength(1);
  });
});
