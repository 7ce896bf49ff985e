import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { JobStatus } from './domain/job-status.js';
import type { Job } from './job.js';

export const JOB_TRANSITIONED = 'job.transitioned';

export interface JobTransitionedEvent {
  job: Job;
  from: JobStatus | null;
  to: JobStatus;
}

/** In-process fan-out of state changes to progress streams, webhooks and metrics on this node. */
@Injectable()
export class JobEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  transitioned(job: Job, from: JobStatus | null): void {
    const event: JobTransitionedEvent = { job, from, to: job.status };
    this.emitter.emit(JOB_TRANSITIONED, event);
  }

  transitionedAll(jobs: ReadonlyArray<Job & { previousStatus: JobStatus }>): void {
    for (const job of jobs) this.transitioned(job, job.previousStatus);
  }
}
