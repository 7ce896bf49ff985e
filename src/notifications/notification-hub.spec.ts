import { AppConfig } from '../config/app-config.js';
import { JobStatus } from '../jobs/domain/job-status.js';
import type { Job } from '../jobs/job.js';
import type { JobEventRelay } from '../jobs/job-event-relay.js';
import type { JobStatusNotice, LiveNotificationChannel } from './notification-channel.port.js';
import { NotificationHub } from './notification-hub.js';

const job = (status: JobStatus, attempts: number) =>
  ({ id: '3f2b1a9c-7d4e-4c1b-9a55-0d7f3f1e2a10', tenant: 'acme', status, attempts }) as Job;

class RecordingChannel implements LiveNotificationChannel {
  readonly seen: JobStatusNotice[] = [];
  constructor(readonly name: string) {}
  transitioned(notice: JobStatusNotice): void {
    this.seen.push(notice);
  }
}

describe('NotificationHub, live channels', () => {
  const relay = { register: () => undefined } as unknown as JobEventRelay;
  const hub = () => new NotificationHub({ publicBaseUrl: null } as unknown as AppConfig, relay);

  it('hands every state change to each live channel, announced or not, in order', () => {
    const notifications = hub();
    const first = new RecordingChannel('first');
    const second = new RecordingChannel('second');
    notifications.registerLive(first);
    notifications.registerLive(second);

    notifications.onTransition({ job: job(JobStatus.QUEUED, 0), from: null, to: JobStatus.QUEUED });
    notifications.onTransition({ job: job(JobStatus.RUNNING, 1), from: JobStatus.QUEUED, to: JobStatus.RUNNING });
    notifications.onTransition({ job: job(JobStatus.COMPLETED, 1), from: JobStatus.RUNNING, to: JobStatus.COMPLETED });

    const expected = [
      { from: null, to: 'QUEUED', attempt: 0 },
      { from: 'QUEUED', to: 'RUNNING', attempt: 1 },
      { from: 'RUNNING', to: 'COMPLETED', attempt: 1 },
    ].map((change) => ({ jobId: job(JobStatus.QUEUED, 0).id, tenant: 'acme', ...change }));
    expect(first.seen).toEqual(expected);
    expect(second.seen).toEqual(expected);
  });

  it('a live channel that throws neither stops the others nor the move', () => {
    const notifications = hub();
    const broken: LiveNotificationChannel = {
      name: 'broken',
      transitioned: () => {
        throw new Error('down');
      },
    };
    const healthy = new RecordingChannel('healthy');
    notifications.registerLive(broken);
    notifications.registerLive(healthy);

    expect(() =>
      notifications.onTransition({ job: job(JobStatus.FAILED, 2), from: JobStatus.RUNNING, to: JobStatus.FAILED }),
    ).not.toThrow();
    expect(healthy.seen.map((notice) => notice.to)).toEqual(['FAILED']);
  });
});
