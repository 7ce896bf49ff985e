import { Cron } from 'croner';

/** Cron fire times in a time zone. All calendar and DST arithmetic is croner's; nothing here counts days. */
export interface FireTimes {
  /** The first fire time strictly after `instant`, or null when the expression never fires again. */
  nextAfter(instant: Date): Date | null;
  /** Up to `count` fire times strictly after `instant`. */
  nextN(count: number, instant: Date): Date[];
  /** The latest fire time strictly before `instant`, or null. */
  previousBefore(instant: Date): Date | null;
}

const FIELD_SEPARATOR = /\s+/;
/** Only the standard forms: 5 fields, or 6 with seconds first (no @nicknames, no year field). */
const ALLOWED_FIELD_COUNTS = [5, 6];
/** An IANA zone name ("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"), not a raw offset. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export class CronSchedule implements FireTimes {
  private constructor(private readonly cron: Cron) {}

  /** Throws an Error whose message says what is wrong; use `cronExpressionProblem` to validate first. */
  static parse(expression: string, timezone: string): CronSchedule {
    const problem = cronExpressionProblem(expression) ?? timezoneProblem(timezone);
    if (problem) throw new Error(problem);
    return new CronSchedule(
      new Cron(expression.trim(), { timezone, paused: true, mode: '5-or-6-parts' }),
    );
  }

  nextAfter(instant: Date): Date | null {
    return this.cron.nextRun(instant);
  }

  nextN(count: number, instant: Date): Date[] {
    return this.cron.nextRuns(count, instant);
  }

  previousBefore(instant: Date): Date | null {
    return this.cron.previousRuns(1, instant)[0] ?? null;
  }
}

/** null when the expression is a valid 5- or 6-field cron expression, else a message for the caller. */
export function cronExpressionProblem(expression: string): string | null {
  const trimmed = expression.trim();
  const fields = trimmed.split(FIELD_SEPARATOR).filter((field) => field.length > 0);
  if (!ALLOWED_FIELD_COUNTS.includes(fields.length) || trimmed.startsWith('@')) {
    return `must have 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; got ${fields.length}`;
  }
  try {
    new Cron(trimmed, { paused: true, mode: '5-or-6-parts' });
    return null;
  } catch (error) {
    return `is not a valid cron expression: ${error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)}`;
  }
}

/** null when `timezone` is an IANA time zone name this runtime knows, else a message. */
export function timezoneProblem(timezone: string): string | null {
  if (!IANA_NAME.test(timezone))
    return 'must be an IANA time zone name such as "UTC" or "Europe/Berlin"';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return null;
  } catch {
    return `"${timezone}" is not a known IANA time zone`;
  }
}
