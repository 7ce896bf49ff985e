export type ScheduleStatus = 'active' | 'paused' | 'misfired';

export interface ScheduleStatusInput {
  enabled: boolean;
  nextFireTime: Date | null;
  /** Set by the scheduler when it found a missed fire; cleared by the next fire made on time. */
  misfiredSince: Date | null;
  now: Date;
  graceMs: number;
}

/**
 * `misfired` when a scheduler node found a missed fire that no on-time fire has followed yet, or when
 * the next fire is overdue past the grace period right now (no scheduler node is evaluating it).
 */
export function scheduleStatus(input: ScheduleStatusInput): ScheduleStatus {
  if (!input.enabled) return 'paused';
  if (input.misfiredSince) return 'misfired';
  if (input.nextFireTime && input.now.getTime() - input.nextFireTime.getTime() > input.graceMs)
    return 'misfired';
  return 'active';
}
