import type { EntityManager } from 'typeorm';

/** One raised alert: dead jobs of a type over the threshold within a window (database clock). */
export interface QueueAlert {
  jobType: string;
  deadCount: number;
  threshold: number;
  windowMinutes: number;
  windowStart: Date;
}

export type AlertTransaction = Pick<EntityManager, 'query'>;

/**
 * Where a raised alert goes besides the log and the metric (e.g. a webhook). `record` runs in the
 * transaction that claims the alert's window, so an alert is handed on exactly when it is raised;
 * `afterCommit` may start the delivery.
 */
export interface QueueAlertSink {
  readonly name: string;
  record(alert: QueueAlert, tx: AlertTransaction): Promise<void>;
  afterCommit?(alert: QueueAlert): void;
}
