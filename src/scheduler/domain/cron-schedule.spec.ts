import { CronSchedule, cronExpressionProblem, timezoneProblem } from './cron-schedule.js';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('CronSchedule (croner)', () => {
  describe('Europe/Berlin, spring forward on 2026-03-29 (02:00 CET → 03:00 CEST)', () => {
    it('runs a fixed-time job inside the gap at the first valid time after it, that day', () => {
      const times = CronSchedule.parse('30 2 * * *', 'Europe/Berlin');
      expect(iso(times.nextN(3, new Date('2026-03-28T00:00:00Z')))).toEqual([
        '2026-03-28T01:30:00.000Z', // 02:30 CET
        '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
      ]);
    });

    it('keeps a job outside the gap at its local time, which moves by an hour in UTC', () => {
      const times = CronSchedule.parse('0 2 * * *', 'UTC');
      const berlin = CronSchedule.parse('0 4 * * *', 'Europe/Berlin');
      expect(iso(times.nextN(2, new Date('2026-03-28T00:00:00Z')))).toEqual([
        '2026-03-28T02:00:00.000Z',
        '2026-03-29T02:00:00.000Z',
      ]);
      expect(iso(berlin.nextN(2, new Date('2026-03-28T00:00:00Z')))).toEqual([
        '2026-03-28T03:00:00.000Z',
        '2026-03-29T02:00:00.000Z',
      ]);
    });

    it('skips the missing hour for an interval job', () => {
      const times = CronSchedule.parse('0 */30 * * * *', 'Europe/Berlin');
      expect(iso(times.nextN(4, new Date('2026-03-29T00:15:00Z')))).toEqual([
        '2026-03-29T00:30:00.000Z', // 01:30 CET
        '2026-03-29T01:00:00.000Z', // 03:00 CEST (02:00 and 02:30 do not exist)
        '2026-03-29T01:30:00.000Z',
        '2026-03-29T02:00:00.000Z',
      ]);
    });
  });

  describe('Europe/Berlin, fall back on 2026-10-25 (03:00 CEST → 02:00 CET)', () => {
    it('runs a fixed-time job in the repeated hour once, at the first occurrence', () => {
      const times = CronSchedule.parse('30 2 * * *', 'Europe/Berlin');
      expect(iso(times.nextN(3, new Date('2026-10-24T00:00:00Z')))).toEqual([
        '2026-10-24T00:30:00.000Z', // 02:30 CEST
        '2026-10-25T00:30:00.000Z', // first 02:30 (CEST), not again at 01:30Z
        '2026-10-26T01:30:00.000Z', // 02:30 CET
      ]);
    });

    it('runs an interval job on both passes through the repeated hour', () => {
      const times = CronSchedule.parse('*/30 * * * *', 'Europe/Berlin');
      expect(iso(times.nextN(5, new Date('2026-10-24T23:45:00Z')))).toEqual([
        '2026-10-25T00:00:00.000Z', // 02:00 CEST
        '2026-10-25T00:30:00.000Z', // 02:30 CEST
        '2026-10-25T01:00:00.000Z', // 02:00 CET
        '2026-10-25T01:30:00.000Z', // 02:30 CET
        '2026-10-25T02:00:00.000Z', // 03:00 CET
      ]);
    });
  });

  describe('America/New_York', () => {
    it('moves 02:00 to 03:00 EDT on 2026-03-08 (the gap)', () => {
      const times = CronSchedule.parse('0 2 * * *', 'America/New_York');
      expect(iso(times.nextN(3, new Date('2026-03-07T12:00:00Z')))).toEqual([
        '2026-03-08T07:00:00.000Z',
        '2026-03-09T06:00:00.000Z',
        '2026-03-10T06:00:00.000Z',
      ]);
    });

    it('runs 01:00 once on 2026-11-01 (the repeated hour), at 01:00 EDT', () => {
      const times = CronSchedule.parse('0 1 * * *', 'America/New_York');
      expect(iso(times.nextN(3, new Date('2026-10-31T12:00:00Z')))).toEqual([
        '2026-11-01T05:00:00.000Z',
        '2026-11-02T06:00:00.000Z',
        '2026-11-03T06:00:00.000Z',
      ]);
    });
  });

  it('reads 6 fields as seconds first', () => {
    const times = CronSchedule.parse('*/2 * * * * *', 'UTC');
    expect(iso(times.nextN(3, new Date('2026-01-01T00:00:00.500Z')))).toEqual([
      '2026-01-01T00:00:02.000Z',
      '2026-01-01T00:00:04.000Z',
      '2026-01-01T00:00:06.000Z',
    ]);
  });

  it('answers next and previous strictly after / before the instant', () => {
    const times = CronSchedule.parse('*/2 * * * * *', 'UTC');
    const at = new Date('2026-01-01T00:00:02.000Z');
    expect(times.nextAfter(at)?.toISOString()).toBe('2026-01-01T00:00:04.000Z');
    expect(times.previousBefore(at)?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('returns null when an expression never fires again', () => {
    expect(
      CronSchedule.parse('0 0 30 2 *', 'UTC').nextAfter(new Date('2026-01-01T00:00:00Z')),
    ).toBeNull();
  });

  it('refuses to parse what the validators reject', () => {
    expect(() => CronSchedule.parse('* * *', 'UTC')).toThrow(/5 fields/);
    expect(() => CronSchedule.parse('* * * * *', 'Mars/Olympus')).toThrow(/time zone/);
  });
});

describe('cronExpressionProblem', () => {
  it.each(['0 2 * * *', '*/2 * * * * *', '0 0 1 * MON', '15 10 L * *', ' 0  2 * * * '])(
    'accepts %p',
    (expression) => {
      expect(cronExpressionProblem(expression)).toBeNull();
    },
  );

  it.each([
    ['* * * *', /5 fields.*got 4/],
    ['* * * * * * *', /got 7/],
    ['@daily', /5 fields/],
    ['', /got 0/],
    ['61 * * * *', /minute: 61/],
    ['* * * * FOO', /not a valid cron expression/],
  ])('rejects %p', (expression, message) => {
    expect(cronExpressionProblem(expression)).toMatch(message);
  });
});

describe('timezoneProblem', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])(
    'accepts %p',
    (zone) => {
      expect(timezoneProblem(zone)).toBeNull();
    },
  );

  it.each(['Mars/Olympus', '+01:00', 'Europe/', '', 'CET; DROP TABLE'])('rejects %p', (zone) => {
    expect(timezoneProblem(zone)).not.toBeNull();
  });
});
