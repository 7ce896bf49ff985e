/** Owner of every job the scheduler creates (idempotency keys are unique per owner). */
export const SCHEDULER_OWNER = 'scheduler';

/** One key per (schedule, fire time): any number of nodes firing the same time make one job. */
export function scheduleFireKey(scheduleId: string, fireTime: Date): string {
  return `schedule:${scheduleId}:${fireTime.toISOString()}`;
}
