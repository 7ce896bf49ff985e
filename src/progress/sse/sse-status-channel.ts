import { Injectable } from '@nestjs/common';
import type { JobStatusNotice, LiveNotificationChannel } from '../../notifications/notification-channel.port.js';
import { NotificationHub } from '../../notifications/notification-hub.js';
import { ProgressEventSource } from '../events/progress-event-source.js';

/**
 * The SSE channel of the notification port: every state change goes out on the progress channel
 * (Redis pub/sub, or in-process on the embedded profile), where the node holding a stream hears it and
 * writes the job's transition to its clients. Registered on every node from boot: workers, the
 * sweeper and cancels all move jobs.
 */
@Injectable()
export class SseStatusChannel implements LiveNotificationChannel {
  readonly name = 'sse';

  constructor(
    private readonly source: ProgressEventSource,
    hub: NotificationHub,
  ) {
    hub.registerLive(this);
  }

  transitioned({ jobId, from, to, attempt }: JobStatusNotice): void {
    this.source.publishStatus(jobId, from, to, attempt);
  }
}
