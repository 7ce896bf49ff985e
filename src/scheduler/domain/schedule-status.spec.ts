import { scheduleStatus, type ScheduleStatusInput } from './schedule-status.js';

const now = new Date('2026-05-01T12:00:00Z');
const base: ScheduleStatusInput = {
  enabled: true,
  nextFireTime: new Date('2026-05-01T12:00:10Z'),
  misfiredSince: null,
  now,
  graceMs: 30_000,
};

describe('scheduleStatus', () => {
  it('is active when the next fire is ahead or only slightly late', () => {
    expect(scheduleStatus(base)).toBe('active');
    expect(scheduleStatus({ ...base, nextFireTime: new Date('2026-05-01T11:59:31Z') })).toBe(
      'active',
    );
  });

  it('is paused when disabled, whatever else', () => {
    expect(scheduleStatus({ ...base, enabled: false, misfiredSince: now })).toBe('paused');
  });

  it('is misfired when a scheduler flagged a missed fire', () => {
    expect(scheduleStatus({ ...base, misfiredSince: new Date('2026-05-01T11:00:00Z') })).toBe(
      'misfired',
    );
  });

  it('is misfired when the next fire is overdue past the grace period (no scheduler is firing it)', () => {
    expect(scheduleStatus({ ...base, nextFireTime: new Date('2026-05-01T11:59:29Z') })).toBe(
      'misfired',
    );
  });
});
