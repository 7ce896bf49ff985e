import type { Admin } from 'kafkajs';

export interface PartitionLag {
  partition: number;
  /** Messages past the group's committed offset: jobs no worker has taken yet. */
  lag: number;
}

/**
 * The consumer group's lag on each partition of `topic`, from two admin requests (end offsets and
 * committed offsets). A partition the group never committed counts from its first retained message
 * (the workers subscribe from the beginning); an offset older than retention, likewise.
 */
export async function readConsumerLag(admin: Pick<Admin, 'fetchTopicOffsets' | 'fetchOffsets'>, groupId: string, topic: string): Promise<PartitionLag[]> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const done = new Map((committed.find((entry) => entry.topic === topic)?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
  return ends
    .map((end) => {
      const high = Number(end.high);
      const low = Number(end.low);
      const from = Math.max(done.get(end.partition) ?? -1, low);
      return { partition: end.partition, lag: Math.max(0, high - from) };
    })
    .sort((a, b) => a.partition - b.partition);
}
