import { Cron } from 'croner';

export interface DayWindow {
  /** The calendar day in the time zone, YYYY-MM-DD. */
  day: string;
  /** Local midnight that starts the day. */
  from: Date;
  /** Local midnight that ends it (23 or 25 hours later on a DST change). */
  to: Date;
}

/** The calendar day before the one containing `at`, in `timezone`; midnights come from croner, not arithmetic. */
export function previousDayWindow(at: Date, timezone: string): DayWindow {
  const midnights = new Cron('0 0 0 * * *', { timezone, paused: true });
  // Strictly before `at + 1 ms`: a fire exactly at midnight counts as the new day.
  const [to, from] = midnights.previousRuns(2, new Date(at.getTime() + 1));
  if (!to || !from) throw new Error(`no midnights before ${at.toISOString()} in ${timezone}`);
  return { day: calendarDay(from, timezone), from, to };
}

function calendarDay(instant: Date, timezone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
