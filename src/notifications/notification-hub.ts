import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import { JobStatus } from '../jobs/domain/job-status.js';
import type { JobEvent, JobEventSink, JobEventTransaction } from '../jobs/job-event.js';
import { JobEventRelay } from '../jobs/job-event-relay.js';
import { JOB_TRANSITIONED, type JobTransitionedEvent } from '../jobs/job-events.js';
import { resultUrl } from '../jobs/job-view.mapper.js';
import { messageIdFor, noticeEventFor, type JobNotice } from './job-notice.js';
import type { JobStatusNotice, LiveNotificationChannel, NotificationChannel } from './notification-channel.port.js';

/**
 * Where every notification channel is fed from job transitions. Durable channels: the one job-event
 * sink, turning relayed job events into channel-neutral notices once and handing them to each channel
 * inside the relay's transaction. Live channels: every state change of this node, as it happens.
 */
@Injectable()
export class NotificationHub implements JobEventSink {
  readonly name = 'notifications';
  private readonly logger = new Logger(NotificationHub.name);
  private readonly channels: NotificationChannel[] = [];
  private readonly liveChannels: LiveNotificationChannel[] = [];
  private readonly noticesOf = new WeakMap<readonly JobEvent[], JobNotice[]>();

  constructor(
    private readonly config: AppConfig,
    relay: JobEventRelay,
  ) {
    relay.register(this);
  }

  register(channel: NotificationChannel): void {
    this.channels.push(channel);
  }

  registerLive(channel: LiveNotificationChannel): void {
    this.liveChannels.push(channel);
  }

  @OnEvent(JOB_TRANSITIONED)
  onTransition({ job, from, to }: JobTransitionedEvent): void {
    if (this.liveChannels.length === 0) return;
    const notice: JobStatusNotice = { jobId: job.id, tenant: job.tenant, from, to, attempt: job.attempts };
    for (const channel of this.liveChannels) {
      try {
        channel.transitioned(notice);
      } catch (error) {
        this.logger.error({ msg: 'a live notification channel failed', channel: channel.name, error: String(error) });
      }
    }
  }

  async record(events: readonly JobEvent[], tx: JobEventTransaction): Promise<void> {
    const notices = events.flatMap((event) => this.toNotice(event));
    this.noticesOf.set(events, notices);
    if (notices.length === 0) return;
    for (const channel of this.channels) await channel.record(notices, tx);
  }

  afterCommit(events: readonly JobEvent[]): void {
    const notices = this.noticesOf.get(events) ?? [];
    this.noticesOf.delete(events);
    if (notices.length === 0) return;
    for (const channel of this.channels) {
      try {
        channel.afterCommit?.(notices);
      } catch (error) {
        this.logger.error({ msg: 'a notification channel failed after commit', channel: channel.name, error: String(error) });
      }
    }
  }

  private toNotice(event: JobEvent): JobNotice[] {
    const type = noticeEventFor(event.to);
    if (!type) return [];
    const job = event.job;
    return [
      {
        messageId: messageIdFor(job.id, type, event.attempt),
        event: type,
        jobId: job.id,
        jobType: job.type,
        tenant: job.tenant,
        status: event.to,
        attempt: event.attempt,
        at: event.at,
        error: event.error,
        jobUrl: this.absolute(`/jobs/${job.id}`),
        resultUrl: event.to === JobStatus.COMPLETED ? this.absoluteOrNull(resultUrl({ ...job, status: event.to })) : null,
        callbackUrl: job.callbackUrl,
        notify: job.notify,
      },
    ];
  }

  private absoluteOrNull(path: string | null): string | null {
    return path === null ? null : this.absolute(path);
  }

  private absolute(path: string): string {
    return this.config.publicBaseUrl ? new URL(path, this.config.publicBaseUrl).toString() : path;
  }
}
