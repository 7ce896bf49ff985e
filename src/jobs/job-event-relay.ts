import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { WakeLoop } from '../common/async/wake-loop.js';
import { settledWithin } from '../common/async/within.js';
import { isAnnounced } from './domain/job-state-machine.js';
import type { JobEvent, JobEventSink } from './job-event.js';
import { JobEventOutboxRepository } from './job-event-outbox.repository.js';
import { JOB_TRANSITIONED, type JobTransitionedEvent } from './job-events.js';

const BATCH = 500;
/** A node that made no move itself still relays what others (or a crashed node) left pending. */
const IDLE_POLL_MS = 2000;
const FINAL_DRAIN_MS = 5000;

/**
 * Relays job events from the transactional outbox to their sinks (webhooks, dead letters, …). The sinks
 * write their rows in the transaction that marks the events done: an event is handed on exactly once,
 * even when a node dies between a job's move and its consequences. Runs on every node (SKIP LOCKED);
 * woken at once by this node's own moves. Stops last at shutdown, after the workers drained.
 */
@Injectable()
export class JobEventRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobEventRelay.name);
  private readonly sinks: JobEventSink[] = [];
  private readonly loop = new WakeLoop(
    () => this.drain(),
    (error) => {
      this.logger.warn({ msg: 'relaying job events failed; will retry', error: String(error) });
      return IDLE_POLL_MS;
    },
  );

  constructor(private readonly outbox: JobEventOutboxRepository) {}

  register(sink: JobEventSink): void {
    this.sinks.push(sink);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  @OnEvent(JOB_TRANSITIONED)
  onTransition(event: JobTransitionedEvent): void {
    if (isAnnounced(event.to)) this.loop.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.loop.stop();
    await settledWithin(this.drain(), FINAL_DRAIN_MS);
  }

  /** Relays until nothing is pending; returns how long to wait before looking again. */
  private async drain(): Promise<number> {
    while ((await this.relayBatch()) === BATCH);
    return IDLE_POLL_MS;
  }

  private async relayBatch(): Promise<number> {
    let relayed: JobEvent[] = [];
    await this.outbox.withPending(BATCH, async (events, tx) => {
      for (const sink of this.sinks) await sink.record(events, tx);
      relayed = events;
    });
    for (const sink of this.sinks) {
      try {
        sink.afterCommit?.(relayed);
      } catch (error) {
        this.logger.error({ msg: 'a job event sink failed after commit', sink: sink.name, error: String(error) });
      }
    }
    return relayed.length;
  }
}
