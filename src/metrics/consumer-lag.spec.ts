import type { Admin } from 'kafkajs';
import { readConsumerLag } from './consumer-lag.js';

type Ends = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

function admin(ends: Array<[partition: number, low: number, high: number]>, committed: Array<[partition: number, offset: number]>) {
  const topicOffsets: Ends = ends.map(([partition, low, high]) => ({ partition, low: String(low), high: String(high), offset: String(high) }));
  return {
    fetchTopicOffsets: () => Promise.resolve(topicOffsets),
    fetchOffsets: ({ topics }: { topics?: string[] }) =>
      Promise.resolve(
        (topics ?? []).map((topic) => ({ topic, partitions: committed.map(([partition, offset]) => ({ partition, offset: String(offset), metadata: null })) })),
      ),
  } as unknown as Admin;
}

describe('readConsumerLag', () => {
  it('is the distance from the committed offset to the end of each partition', async () => {
    const lag = await readConsumerLag(admin([[1, 0, 30], [0, 0, 10]], [[0, 4], [1, 30]]), 'g', 't');
    expect(lag).toEqual([
      { partition: 0, lag: 6 },
      { partition: 1, lag: 0 },
    ]);
  });

  it('counts a partition the group never committed from its first retained message', async () => {
    expect(await readConsumerLag(admin([[0, 5, 12]], [[0, -1]]), 'g', 't')).toEqual([{ partition: 0, lag: 7 }]);
    expect(await readConsumerLag(admin([[0, 5, 12]], []), 'g', 't')).toEqual([{ partition: 0, lag: 7 }]);
  });

  it('never counts messages retention already deleted, and is never negative', async () => {
    expect(await readConsumerLag(admin([[0, 100, 120]], [[0, 40]]), 'g', 't')).toEqual([{ partition: 0, lag: 20 }]);
    expect(await readConsumerLag(admin([[0, 0, 0]], [[0, 3]]), 'g', 't')).toEqual([{ partition: 0, lag: 0 }]);
  });
});
