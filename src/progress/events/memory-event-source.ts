import type { EventEmitter2 } from '@nestjs/event-emitter';
import { JOB_TRANSITIONED, type JobTransitionedEvent } from '../../jobs/job-events.js';
import { JOB_PROGRESSED, type ProgressSnapshot } from '../progress-tracker.port.js';
import { ProgressEventSource, type ProgressChangeSink } from './progress-event-source.js';

/** Embedded profile: changes are the in-process events of this node (the only node). */
export class MemoryProgressEventSource extends ProgressEventSource {
  private detach: (() => void) | null = null;

  constructor(private readonly emitter: EventEmitter2) {
    super();
  }

  start(sink: ProgressChangeSink): Promise<void> {
    if (this.detach) return Promise.resolve();
    const onProgress = (snapshot: ProgressSnapshot) => sink.change({ kind: 'progress', snapshot });
    const onTransition = (event: JobTransitionedEvent) =>
      sink.change({ kind: 'status', jobId: event.job.id, to: event.to });
    this.emitter.on(JOB_PROGRESSED, onProgress);
    this.emitter.on(JOB_TRANSITIONED, onTransition);
    this.detach = () => {
      this.emitter.off(JOB_PROGRESSED, onProgress);
      this.emitter.off(JOB_TRANSITIONED, onTransition);
    };
    return Promise.resolve();
  }

  stop(): void {
    this.detach?.();
    this.detach = null;
  }
}
