import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ProblemException, Problems } from '../common/problem/problem.exception.js';
import type { Job } from '../jobs/job.js';
import { JobsService } from '../jobs/jobs.service.js';
import { DeadMessagesRepository, type DeadMessage, type DeadMessageFilter } from '../queue/dead-messages/dead-messages.repository.js';
import { parseJobMessage } from '../queue/kafka/parse-job-message.js';

export const deadMessageNotFound = (id: string) =>
  new ProblemException(404, 'dead-message-not-found', 'Dead message not found', `no dead-lettered message with id ${id}`);

/** Kafka messages that never became jobs: listed for operators, replayed (once) after a correction. */
@Injectable()
export class DeadMessagesService {
  constructor(
    private readonly config: AppConfig,
    private readonly messages: DeadMessagesRepository,
    private readonly jobs: JobsService,
  ) {}

  list(filter: DeadMessageFilter, page: { cursor?: string; limit?: number }): Promise<{ items: DeadMessage[]; nextCursor: string | null }> {
    return this.messages.list(filter, page);
  }

  async get(id: string): Promise<DeadMessage> {
    const message = await this.messages.get(id);
    if (!message) throw deadMessageNotFound(id);
    return message;
  }

  /**
   * Submits the (corrected) message as a job, through the same checks as a message on the topic, and
   * marks the dead message replayed. Replaying it again is 409; two replays at once make one job (the
   * idempotency key names the dead message).
   */
  async replay(id: string, correction: { message?: Record<string, unknown>; tenant?: string }, by: string): Promise<Job> {
    const dead = await this.get(id);
    if (dead.replayedAt) throw alreadyReplayed(dead);
    if (!correction.message && dead.valueTruncated) {
      throw Problems.validation([{ field: 'message', message: 'only part of the original value was kept; send the corrected message' }]);
    }
    const value = correction.message ? Buffer.from(JSON.stringify(correction.message)) : dead.value;
    const parsed = await parseJobMessage(value);
    if (!parsed.ok) {
      throw Problems.validation([{ field: 'message', message: `still not a job request (${parsed.code}): ${parsed.reason}` }]);
    }
    const request = parsed.message;
    const { job } = await this.jobs.submit({
      ...request,
      owner: 'kafka',
      tenant: correction.tenant ?? dead.tenant ?? this.config.kafkaDefaultTenant,
      idempotencyKey: request.idempotencyKey ?? (request.jobId ? undefined : `dead-message:${dead.id}`),
    });
    if (!(await this.messages.markReplayed(dead.id, job.id, by))) {
      const now = await this.get(id);
      if (now.replayJobId !== job.id) throw alreadyReplayed(now);
    }
    return job;
  }

  async purge(id: string): Promise<DeadMessage> {
    const gone = await this.messages.delete(id);
    if (!gone) throw deadMessageNotFound(id);
    return gone;
  }
}

function alreadyReplayed(message: DeadMessage): ProblemException {
  return new ProblemException(409, 'dead-message-replayed', 'Already replayed', `message ${message.id} was replayed as job ${message.replayJobId ?? '?'}`, {
    replayJobId: message.replayJobId,
  });
}
