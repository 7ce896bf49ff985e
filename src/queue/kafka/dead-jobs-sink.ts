import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { JobStatus } from '../../jobs/domain/job-status.js';
import type { JobEvent, JobEventSink, JobEventTransaction } from '../../jobs/job-event.js';
import { JobEventRelay } from '../../jobs/job-event-relay.js';
import type { DeadJobRecordDto } from './dead-job-record.dto.js';
import { DeadLetterHeaders, originHeaders } from './dead-letter-headers.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * A job that went DEAD leaves a record on the dead letter topic: an outbox row written in the event
 * relay's transaction, published by the outbox relay. Never lost to a crash, never written twice.
 */
@Injectable()
export class DeadJobsSink implements JobEventSink {
  readonly name = 'dead-letter-topic';

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly outboxRelay: OutboxRelay,
    relay: JobEventRelay,
  ) {
    relay.register(this);
  }

  async record(events: readonly JobEvent[], tx: JobEventTransaction): Promise<void> {
    const dead = events.filter((event) => event.to === JobStatus.DEAD);
    if (dead.length === 0) return;
    await this.outbox.append(
      tx,
      dead.map(({ job, error, attempt, at }) => ({
        topic: this.config.kafkaDeadLetterTopic,
        key: job.id,
        value: { jobId: job.id, type: job.type, payload: job.payload, maxAttempts: job.maxAttempts } as DeadJobRecordDto,
        headers: {
          [DeadLetterHeaders.reason]: error?.message ?? 'attempts exhausted',
          [DeadLetterHeaders.code]: error?.code ?? 'DEAD',
          [DeadLetterHeaders.attempts]: String(attempt),
          [DeadLetterHeaders.jobId]: job.id,
          [DeadLetterHeaders.failedAt]: at.toISOString(),
          ...originHeaders(job.dispatchOrigin ?? undefined),
        },
      })),
    );
    this.outboxRelay.wakeAfterCommit(tx);
  }
}
