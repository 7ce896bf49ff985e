/** Header names on records in the dead letter topic. */
export const DeadLetterHeaders = {
  reason: 'x-dlt-reason',
  code: 'x-dlt-code',
  attempts: 'x-dlt-attempts',
  jobId: 'x-dlt-job-id',
  originalTopic: 'x-dlt-original-topic',
  originalPartition: 'x-dlt-original-partition',
  originalOffset: 'x-dlt-original-offset',
  failedAt: 'x-dlt-failed-at',
} as const;

export interface MessageOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export function originHeaders(origin: MessageOrigin | undefined): Record<string, string> {
  if (!origin) return {};
  return {
    [DeadLetterHeaders.originalTopic]: origin.topic,
    [DeadLetterHeaders.originalPartition]: String(origin.partition),
    [DeadLetterHeaders.originalOffset]: origin.offset,
  };
}
