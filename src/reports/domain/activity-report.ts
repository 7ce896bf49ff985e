import { nearestRank } from './nearest-rank.js';

export type ReportFormat = 'json' | 'csv';
export type ReportGroupBy = 'type' | 'status' | 'day';

export const REPORT_GROUP_BYS: readonly ReportGroupBy[] = ['type', 'status', 'day'];

/** One job row as the report handler reads it, paged from the DB. */
export interface JobActivityRow {
  id: string;
  type: string;
  /** One of PENDING QUEUED RUNNING FAILED COMPLETED DEAD CANCELLED. */
  status: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  attempts: number;
}

export interface DurationSummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ActivityGroup {
  key: string;
  total: number;
  completed: number;
  dead: number;
  cancelled: number;
  inFlight: number;
  /** completed / (completed + dead) rounded to 4 decimals; null when neither happened. */
  successRate: number | null;
  /** finishedAt - startedAt of COMPLETED jobs; null when there is none. */
  durationMs: DurationSummary | null;
  attempts: { total: number; retried: number };
}

export interface ActivityReport {
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  generatedAt: string;
  totals: Omit<ActivityGroup, 'key'>;
  groups: ActivityGroup[];
}

// FAILED is a retryable intermediate state (DEAD is the terminal failure), so it is still in flight.
const IN_FLIGHT_STATUSES: ReadonlySet<string> = new Set(['PENDING', 'QUEUED', 'RUNNING', 'FAILED']);

interface GroupAccumulator {
  total: number;
  completed: number;
  dead: number;
  cancelled: number;
  inFlight: number;
  attemptsTotal: number;
  retried: number;
  durations: number[];
}

function emptyAccumulator(): GroupAccumulator {
  return {
    total: 0,
    completed: 0,
    dead: 0,
    cancelled: 0,
    inFlight: 0,
    attemptsTotal: 0,
    retried: 0,
    durations: [],
  };
}

/**
 * Streams job rows (page by page) into per-group counters. Only COMPLETED durations are kept,
 * one number per completed job, so percentiles can be exact; nothing else is retained per row.
 * Rows are not filtered by date: the caller pages exactly the rows of the reported range.
 */
export class ActivityAggregator {
  private readonly groups = new Map<string, GroupAccumulator>();
  private seen = 0;

  constructor(
    readonly groupBy: ReportGroupBy,
    readonly timeZone: 'UTC' = 'UTC',
  ) {
    if (!REPORT_GROUP_BYS.includes(groupBy)) {
      throw new RangeError(`unknown report groupBy: ${String(groupBy)}`);
    }
  }

  get rowsSeen(): number {
    return this.seen;
  }

  add(rows: readonly JobActivityRow[]): void {
    for (const row of rows) {
      const key = this.keyOf(row);
      let acc = this.groups.get(key);
      if (!acc) {
        acc = emptyAccumulator();
        this.groups.set(key, acc);
      }
      accumulate(acc, row);
      this.seen++;
    }
  }

  finish(range: { from: Date; to: Date }, now: Date): ActivityReport {
    const keys = [...this.groups.keys()].sort(compareCodeUnits);
    const groups = keys.map((key) => ({ key, ...summarize(this.groups.get(key)!) }));
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      groupBy: this.groupBy,
      generatedAt: now.toISOString(),
      totals: summarize(mergeAccumulators([...this.groups.values()])),
      groups,
    };
  }

  private keyOf(row: JobActivityRow): string {
    switch (this.groupBy) {
      case 'type':
        return row.type;
      case 'status':
        return row.status;
      case 'day':
        return row.createdAt.toISOString().slice(0, 10);
    }
  }
}

function accumulate(acc: GroupAccumulator, row: JobActivityRow): void {
  acc.total++;
  acc.attemptsTotal += row.attempts;
  if (row.attempts > 1) acc.retried++;
  if (row.status === 'COMPLETED') {
    acc.completed++;
    if (row.startedAt && row.finishedAt) {
      // Clock skew between workers must not produce negative durations.
      acc.durations.push(Math.max(0, row.finishedAt.getTime() - row.startedAt.getTime()));
    }
  } else if (row.status === 'DEAD') {
    acc.dead++;
  } else if (row.status === 'CANCELLED') {
    acc.cancelled++;
  } else if (IN_FLIGHT_STATUSES.has(row.status)) {
    acc.inFlight++;
  }
}

function mergeAccumulators(accs: readonly GroupAccumulator[]): GroupAccumulator {
  const merged = emptyAccumulator();
  for (const acc of accs) {
    merged.total += acc.total;
    merged.completed += acc.completed;
    merged.dead += acc.dead;
    merged.cancelled += acc.cancelled;
    merged.inFlight += acc.inFlight;
    merged.attemptsTotal += acc.attemptsTotal;
    merged.retried += acc.retried;
    for (const d of acc.durations) merged.durations.push(d);
  }
  return merged;
}

function summarize(acc: GroupAccumulator): Omit<ActivityGroup, 'key'> {
  const finished = acc.completed + acc.dead;
  return {
    total: acc.total,
    completed: acc.completed,
    dead: acc.dead,
    cancelled: acc.cancelled,
    inFlight: acc.inFlight,
    successRate: finished === 0 ? null : Math.round((acc.completed / finished) * 1e4) / 1e4,
    durationMs: summarizeDurations(acc.durations),
    attempts: { total: acc.attemptsTotal, retried: acc.retried },
  };
}

/** Mean is rounded to whole milliseconds; the percentiles are observed values. */
export function summarizeDurations(durations: readonly number[]): DurationSummary | null {
  if (durations.length === 0) return null;
  const sorted = Float64Array.from(durations).sort(); // typed arrays sort numerically
  let sum = 0;
  for (const d of sorted) sum += d;
  return {
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: Math.round(sum / sorted.length),
  };
}

// Locale-independent ordering so reports are byte-identical across hosts.
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
