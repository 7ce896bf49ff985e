import type { ActivityGroup, ActivityReport } from './activity-report.js';

export const ACTIVITY_CSV_HEADER = [
  'key',
  'total',
  'completed',
  'dead',
  'cancelled',
  'in_flight',
  'success_rate',
  'p50_ms',
  'p90_ms',
  'p99_ms',
  'max_ms',
  'mean_ms',
  'attempts',
  'retried',
] as const;

const CRLF = '\r\n';
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NEEDS_QUOTING = /[",\r\n]/;

/** RFC 4180 CSV, one row per group then a TOTAL row, CRLF-terminated lines. */
export function renderActivityReportCsv(report: ActivityReport): string {
  const rows: string[][] = [
    [...ACTIVITY_CSV_HEADER],
    ...report.groups.map((group) => groupCells(group.key, group)),
    groupCells('TOTAL', report.totals),
  ];
  return rows.map((cells) => cells.map(csvCell).join(',')).join(CRLF) + CRLF;
}

function groupCells(key: string, group: Omit<ActivityGroup, 'key'>): string[] {
  const d = group.durationMs;
  return [
    key,
    String(group.total),
    String(group.completed),
    String(group.dead),
    String(group.cancelled),
    String(group.inFlight),
    group.successRate === null ? '' : String(group.successRate),
    d ? String(d.p50) : '',
    d ? String(d.p90) : '',
    d ? String(d.p99) : '',
    d ? String(d.max) : '',
    d ? String(d.mean) : '',
    String(group.attempts.total),
    String(group.attempts.retried),
  ];
}

/**
 * Escapes one cell. A cell a spreadsheet would evaluate as a formula (leading = + - @, tab or CR)
 * gets a leading single quote (OWASP CSV injection guard), then RFC 4180 quoting applies.
 */
export function csvCell(value: string): string {
  const guarded = FORMULA_TRIGGER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTING.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}
