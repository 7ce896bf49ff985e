import type { JobTransition } from '../../jobs/job.js';
import type { ProgressListener } from '../progress-hub.js';
import type { ProgressSnapshot } from '../progress-tracker.port.js';
import { formatEventId, type EventCursor } from './event-id.js';
import {
  isTerminalStatus,
  progressFrameOf,
  snapshotData,
  statusData,
  type StreamState,
} from './progress-events.js';

export interface FeedOutput {
  event(name: 'snapshot' | 'status', id: string | null, data: string): void;
  /** A ready-made frame (progress frames are built once and shared by every stream in step). */
  frame(frame: string, coalesceKey: string): void;
  /** The job reached a terminal state and its terminal event was sent. */
  finished(): void;
}

export type FeedStart = 'streaming' | 'finished' | 'nothing-new';

/**
 * One job's events for one stream. Subscribed before the state is read; whatever arrives meanwhile is
 * held, then filtered by the stream's cursor (last transition id, last progress version), so nothing is
 * lost or sent twice. Event ids are only written on single-job streams (`withIds`).
 */
export class JobProgressFeed implements ProgressListener {
  private cursor: EventCursor = { transitionId: 0, progressVersion: 0 };
  private out: FeedOutput | null = null;
  private held: Array<() => void> | null = [];
  private done = false;
  private readonly coalesceKey: string;

  constructor(
    readonly jobId: string,
    private readonly withIds: boolean,
  ) {
    this.coalesceKey = `p:${jobId}`;
  }

  get isDone(): boolean {
    return this.done;
  }

  /** `resume`: the client's Last-Event-ID. 'nothing-new': it already has the terminal event (answer 204). */
  start(state: StreamState, resume: EventCursor | null, out: FeedOutput): FeedStart {
    this.out = out;
    const lastTransitionId = Number(state.transitions.at(-1)?.id ?? 0);
    if (resume === null) {
      this.cursor = { transitionId: lastTransitionId, progressVersion: state.progress.version };
      out.event('snapshot', this.id(), JSON.stringify(snapshotData(state)));
      if (isTerminalStatus(state.status)) return this.finish();
    } else {
      this.cursor = { ...resume };
      const missed = state.transitions.filter((t) => Number(t.id) > resume.transitionId);
      if (missed.length === 0 && isTerminalStatus(state.status)) {
        this.done = true;
        return 'nothing-new';
      }
      this.transitions(missed, true);
      if (this.done) return 'finished';
      this.progress(state.progress, true);
    }
    const held = this.held ?? [];
    this.held = null;
    for (const replay of held) replay();
    return this.done ? 'finished' : 'streaming';
  }

  transitions(all: readonly JobTransition[], force = false): void {
    if (this.held && !force) {
      this.held.push(() => this.transitions(all));
      return;
    }
    for (const transition of all) {
      if (this.done) return;
      const id = Number(transition.id);
      if (id <= this.cursor.transitionId) continue;
      this.cursor.transitionId = id;
      this.out?.event('status', this.id(), JSON.stringify(statusData(transition)));
      if (isTerminalStatus(transition.to)) this.finish();
    }
  }

  progress(snapshot: ProgressSnapshot, force = false): void {
    if (this.held && !force) {
      this.held.push(() => this.progress(snapshot));
      return;
    }
    if (this.done || snapshot.version <= this.cursor.progressVersion) return;
    this.cursor.progressVersion = snapshot.version;
    this.out?.frame(
      progressFrameOf(snapshot, this.withIds ? this.cursor.transitionId : null),
      this.coalesceKey,
    );
  }

  private id(): string | null {
    return this.withIds ? formatEventId(this.cursor) : null;
  }

  private finish(): 'finished' {
    if (!this.done) {
      this.done = true;
      this.out?.finished();
    }
    return 'finished';
  }
}
