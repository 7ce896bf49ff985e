import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { isTerminal } from '../jobs/domain/job-state-machine.js';
import { ProgressHub } from './progress-hub.js';

/**
 * Waits for a job to finish on the events the progress hub already receives (in process, or over the
 * one Redis subscription): no database connection is held and nothing polls while a request waits.
 */
@Injectable()
export class JobOutcomeWaiter implements OnModuleDestroy {
  private readonly waiting = new Set<() => void>();

  constructor(private readonly hub: ProgressHub) {}

  /**
   * Resolves when the job reaches a terminal state, after `timeoutMs`, or when the app shuts down,
   * whichever comes first. `finishedNow` is asked once the subscription is up, for an end that
   * happened before it.
   */
  untilFinished(jobId: string, timeoutMs: number, finishedNow: () => Promise<boolean>): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        if (!this.waiting.delete(finish)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      this.waiting.add(finish);
      const timer = setTimeout(finish, timeoutMs);
      const unsubscribe = this.hub.subscribe(jobId, {
        progress: () => undefined,
        transitions: (all) => {
          if (all.some((transition) => isTerminal(transition.to))) finish();
        },
      });
      this.hub
        .whenListening()
        .then(finishedNow)
        .then((finished) => finished && finish())
        .catch(finish);
    });
  }

  onModuleDestroy(): void {
    for (const finish of [...this.waiting]) finish();
  }
}
