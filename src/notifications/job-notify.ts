/** The job events a channel can notify about. `job.complete` is the seed's own name. */
export const NOTIFIED_EVENTS = ['job.complete', 'job.failed', 'job.dead', 'job.cancelled', 'job.expired'] as const;
export type NotifiedEvent = (typeof NOTIFIED_EVENTS)[number];

/** What a job asked for at submission (`notify`); stored with the job, read only by the channels. */
export interface JobNotify {
  email?: string[];
  events?: NotifiedEvent[];
}

/** Events a job's own `notify` targets receive when it names none. */
export const DEFAULT_NOTIFY_EVENTS: readonly NotifiedEvent[] = ['job.complete', 'job.dead'];
