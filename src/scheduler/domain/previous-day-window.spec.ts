import { previousDayWindow } from './previous-day-window.js';

const window = (at: string, zone: string) => {
  const w = previousDayWindow(new Date(at), zone);
  return { day: w.day, from: w.from.toISOString(), to: w.to.toISOString() };
};

describe('previousDayWindow', () => {
  it('is the previous UTC day at 02:00 UTC', () => {
    expect(window('2026-11-29T02:00:00.010Z', 'UTC')).toEqual({
      day: '2026-11-28',
      from: '2026-11-28T00:00:00.000Z',
      to: '2026-11-29T00:00:00.000Z',
    });
  });

  it('counts a fire exactly at midnight as the new day', () => {
    expect(window('2026-11-29T00:00:00.000Z', 'UTC').day).toBe('2026-11-28');
  });

  it('is 23 hours long on the spring-forward day in Berlin', () => {
    expect(window('2026-03-30T02:00:00+02:00', 'Europe/Berlin')).toEqual({
      day: '2026-03-29',
      from: '2026-03-28T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
    });
  });

  it('is 25 hours long on the fall-back day in New York', () => {
    expect(window('2026-11-02T02:00:00-05:00', 'America/New_York')).toEqual({
      day: '2026-11-01',
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-11-02T05:00:00.000Z',
    });
  });
});
