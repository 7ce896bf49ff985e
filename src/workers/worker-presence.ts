import { Injectable, Logger } from '@nestjs/common';
import { WORKER_PRESENCE_INTERVAL_MS, WorkerPresenceRepository } from '../jobs/worker-presence.repository.js';

/**
 * Keeps this worker node's row in `job_workers` fresh (its id and the types it runs), so the cluster
 * knows when a job's type has no live worker at all, and removes it when the node stops.
 */
@Injectable()
export class WorkerPresence {
  private readonly logger = new Logger(WorkerPresence.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly presence: WorkerPresenceRepository) {}

  async start(workerId: string, types: readonly string[]): Promise<void> {
    await this.presence.record(workerId, types);
    this.timer = setInterval(() => {
      this.presence
        .record(workerId, types)
        .catch((error: unknown) => this.logger.warn({ msg: 'could not record worker presence', error: String(error) }));
    }, WORKER_PRESENCE_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(workerId: string): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.presence.remove(workerId).catch(() => undefined);
  }
}
