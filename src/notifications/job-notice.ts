import { createHash } from 'node:crypto';
import type { JobError } from '../jobs/job.js';
import { DEFAULT_NOTIFY_EVENTS, type JobNotify, type NotifiedEvent } from './job-notify.js';

export { NOTIFIED_EVENTS, type NotifiedEvent } from './job-notify.js';

/** Job states that produce a notice; every other state change is silent. */
export function noticeEventFor(status: string): NotifiedEvent | null {
  switch (status) {
    case 'COMPLETED':
      return 'job.complete';
    case 'FAILED':
      return 'job.failed';
    case 'DEAD':
      return 'job.dead';
    case 'CANCELLED':
      return 'job.cancelled';
    case 'EXPIRED':
      return 'job.expired';
    default:
      return null;
  }
}

/** One job event as every channel sees it: no channel's format, no database row. */
export interface JobNotice {
  /** Stable per (job, event, attempt): every channel and every retry of the same event carries it. */
  messageId: string;
  event: NotifiedEvent;
  jobId: string;
  jobType: string;
  tenant: string;
  status: string;
  attempt: number;
  at: Date;
  error: JobError | null;
  /** The job's page in the API (absolute when PUBLIC_BASE_URL is set). */
  jobUrl: string;
  /** job.complete: where to fetch the result (absolute when PUBLIC_BASE_URL is set). */
  resultUrl: string | null;
  /** The job's own targets: its webhook callbackUrl and its `notify` request. */
  callbackUrl: string | null;
  notify: JobNotify | null;
}

/**
 * The message id of a job event: derived from (job, event, attempt), so the same event always gets the
 * same id — across retries, redeliveries, and a second relay of the same transition.
 */
export function messageIdFor(jobId: string, event: NotifiedEvent, attempt: number): string {
  return 'msg_' + createHash('sha256').update(`${jobId}|${event}|${attempt}`).digest('base64url').slice(0, 27);
}

/** The job's own `notify` addresses that want this event. */
export function jobAddressesFor(notice: Pick<JobNotice, 'event' | 'notify'>): string[] {
  const notify = notice.notify;
  if (!notify?.email?.length) return [];
  const events = notify.events?.length ? notify.events : DEFAULT_NOTIFY_EVENTS;
  return events.includes(notice.event) ? notify.email : [];
}
