import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { JobsRepository } from '../../jobs/jobs.repository.js';
import { ProgressHub } from '../progress-hub.js';
import { ProgressTracker } from '../progress-tracker.port.js';
import type { EventCursor } from './event-id.js';
import { JobProgressFeed, type FeedOutput } from './job-progress-feed.js';
import { currentProgress, isTerminalStatus, type StreamState } from './progress-events.js';
import { SseConnection, type SseOptions } from './sse-connection.js';
import { StreamQuota } from './stream-quota.js';
import { tenantParam, type TenantScope } from '../../tenancy/tenant-scope.js';

const CONSISTENT_READ_TRIES = 3;

/** Opens SSE answers: subscribe first, then read the state, then write straight to the socket. */
@Injectable()
export class ProgressStreams implements OnModuleDestroy {
  private readonly open = new Set<SseConnection>();
  private readonly options: SseOptions;
  private readonly quota: StreamQuota;
  private closing = false;

  constructor(
    config: AppConfig,
    private readonly hub: ProgressHub,
    private readonly jobs: JobsRepository,
    private readonly tracker: ProgressTracker,
  ) {
    const { sseHeartbeatMs, sseMaxDurationMs, sseRetryMs } = config.progress;
    this.options = {
      heartbeatMs: sseHeartbeatMs,
      maxDurationMs: sseMaxDurationMs,
      retryMs: sseRetryMs,
    };
    this.quota = new StreamQuota(config.progress.sseMaxStreamsPerKey);
  }

  get openCount(): number {
    return this.open.size;
  }

  /**
   * One job, with event ids. Resolves false (nothing sent) when the job does not exist in the scope.
   * `owner` is whose quota of open streams it counts against (429 past it).
   */
  async streamJob(
    jobId: string,
    resume: EventCursor | null,
    reply: FastifyReply,
    scope: TenantScope,
    owner: string,
  ): Promise<boolean> {
    const feed = new JobProgressFeed(jobId, true);
    const unsubscribe = this.hub.subscribe(jobId, feed);
    let state: StreamState | null;
    try {
      await this.hub.whenListening();
      state = await this.readState(jobId, scope);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    if (!state) {
      unsubscribe();
      return false;
    }
    if (
      resume &&
      isTerminalStatus(state.status) &&
      !state.transitions.some((t) => Number(t.id) > resume.transitionId)
    ) {
      // The client already has the terminal event: 204 makes EventSource stop reconnecting.
      unsubscribe();
      await reply.status(204).header('cache-control', 'no-store').send();
      return true;
    }
    const connection = this.connect(reply, unsubscribe, owner);
    feed.start(
      state,
      resume,
      this.output(connection, () => true),
    );
    return true;
  }

  /** Many jobs on one connection (dashboards: browsers allow few connections per host). No ids; ends when all are done. */
  async streamJobs(jobIds: readonly string[], reply: FastifyReply, scope: TenantScope, owner: string): Promise<boolean> {
    const feeds = jobIds.map((jobId) => new JobProgressFeed(jobId, false));
    const unsubscribes = feeds.map((feed) => this.hub.subscribe(feed.jobId, feed));
    const unsubscribeAll = () => unsubscribes.forEach((unsubscribe) => unsubscribe());
    let states: Array<StreamState | null>;
    try {
      await this.hub.whenListening();
      states = await Promise.all(jobIds.map((jobId) => this.readState(jobId, scope)));
    } catch (error) {
      unsubscribeAll();
      throw error;
    }
    const live = feeds.filter((_, index) => states[index] !== null);
    states.forEach((state, index) => {
      if (state === null) unsubscribes[index](); // unknown ids are skipped
    });
    if (live.length === 0) {
      unsubscribeAll();
      return false;
    }
    const connection = this.connect(reply, unsubscribeAll, owner);
    const allDone = () => live.every((feed) => feed.isDone);
    feeds.forEach((feed, index) => {
      const state = states[index];
      if (state) feed.start(state, null, this.output(connection, allDone));
    });
    return true;
  }

  onModuleDestroy(): void {
    this.closing = true;
    for (const connection of this.open) connection.end('shutdown');
  }

  private connect(reply: FastifyReply, unsubscribe: () => void, owner: string): SseConnection {
    let release: () => void;
    try {
      release = this.quota.take(owner);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    reply.hijack();
    const connection = new SseConnection(reply.raw, this.options, () => {
      unsubscribe();
      release();
      this.open.delete(connection);
    });
    this.open.add(connection);
    if (this.closing) connection.end('shutdown');
    return connection;
  }

  private output(connection: SseConnection, shouldEnd: () => boolean): FeedOutput {
    return {
      event: (name, id, data) => connection.event(name, id, data),
      frame: (frame, coalesceKey) => connection.frame(frame, coalesceKey),
      finished: () => {
        if (shouldEnd()) connection.end('finished');
      },
    };
  }

  /** Row and transitions are two reads; if a move landed between them, read the row again. */
  private async readState(jobId: string, scope: TenantScope): Promise<StreamState | null> {
    const live = this.tracker.get(jobId);
    for (let attempt = 1; ; attempt++) {
      const job = await this.jobs.findInScope(jobId, tenantParam(scope));
      if (!job) return null;
      const transitions = await this.jobs.transitions(jobId);
      const status = transitions.at(-1)?.to ?? job.status;
      if (status === job.status || attempt >= CONSISTENT_READ_TRIES) {
        return { job, transitions, status, progress: currentProgress(job, await live, status) };
      }
    }
  }
}
