import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { JobStatus } from '../../jobs/domain/job-status.js';
import { JOB_PROGRESSED, type ProgressSnapshot } from '../progress-tracker.port.js';
import { ProgressEventSource, type ProgressChangeSink } from './progress-event-source.js';

/** Embedded profile: changes are the in-process events of this node (the only node). */
export class MemoryProgressEventSource extends ProgressEventSource {
  private sink: ProgressChangeSink | null = null;
  private readonly onProgress = (snapshot: ProgressSnapshot) => this.sink?.change({ kind: 'progress', snapshot });

  constructor(private readonly emitter: EventEmitter2) {
    super();
  }

  start(sink: ProgressChangeSink): Promise<void> {
    if (this.sink) return Promise.resolve();
    this.sink = sink;
    this.emitter.on(JOB_PROGRESSED, this.onProgress);
    return Promise.resolve();
  }

  stop(): void {
    this.emitter.off(JOB_PROGRESSED, this.onProgress);
    this.sink = null;
  }

  publishStatus(jobId: string, _from: JobStatus | null, to: JobStatus): void {
    this.sink?.change({ kind: 'status', jobId, to });
  }
}
