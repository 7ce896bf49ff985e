import {
  ActivityAggregator,
  type JobActivityRow,
  type ReportGroupBy,
  summarizeDurations,
} from './activity-report.js';

const RANGE = { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-03-08T00:00:00Z') };
const NOW = new Date('2025-03-08T00:05:00Z');

let seq = 0;
function row(overrides: Partial<JobActivityRow> = {}): JobActivityRow {
  const createdAt = new Date('2025-03-02T10:00:00Z');
  return {
    id: `job-${++seq}`,
    type: 'export',
    status: 'COMPLETED',
    createdAt,
    startedAt: new Date(createdAt.getTime() + 1_000),
    finishedAt: new Date(createdAt.getTime() + 1_000 + 250),
    attempts: 1,
    ...overrides,
  };
}

/** A COMPLETED row that ran for exactly `ms` milliseconds. */
function completedIn(ms: number, overrides: Partial<JobActivityRow> = {}): JobActivityRow {
  const startedAt = new Date('2025-03-02T10:00:01Z');
  return row({ startedAt, finishedAt: new Date(startedAt.getTime() + ms), ...overrides });
}

function report(groupBy: ReportGroupBy, rows: JobActivityRow[]) {
  const aggregator = new ActivityAggregator(groupBy);
  aggregator.add(rows);
  return aggregator.finish(RANGE, NOW);
}

describe('ActivityAggregator', () => {
  describe('empty input', () => {
    it('produces zero totals, no groups and null rates/durations', () => {
      const aggregator = new ActivityAggregator('type');
      aggregator.add([]);
      expect(aggregator.rowsSeen).toBe(0);
      expect(aggregator.finish(RANGE, NOW)).toEqual({
        from: '2025-03-01T00:00:00.000Z',
        to: '2025-03-08T00:00:00.000Z',
        groupBy: 'type',
        generatedAt: '2025-03-08T00:05:00.000Z',
        totals: {
          total: 0,
          completed: 0,
          dead: 0,
          cancelled: 0,
          inFlight: 0,
          successRate: null,
          durationMs: null,
          attempts: { total: 0, retried: 0 },
        },
        groups: [],
      });
    });

    it('works when add is never called', () => {
      const result = new ActivityAggregator('day').finish(RANGE, NOW);
      expect(result.groups).toEqual([]);
      expect(result.totals.total).toBe(0);
    });
  });

  describe('single row', () => {
    it('yields one group equal to the totals', () => {
      const result = report('type', [completedIn(250, { type: 'export', attempts: 2 })]);
      const expected = {
        total: 1,
        completed: 1,
        dead: 0,
        cancelled: 0,
        inFlight: 0,
        successRate: 1,
        durationMs: { p50: 250, p90: 250, p99: 250, max: 250, mean: 250 },
        attempts: { total: 2, retried: 1 },
      };
      expect(result.groups).toEqual([{ key: 'export', ...expected }]);
      expect(result.totals).toEqual(expected);
    });
  });

  describe('status buckets', () => {
    it('counts each status into its bucket; FAILED (retryable) is in flight', () => {
      const statuses = ['PENDING', 'QUEUED', 'RUNNING', 'FAILED', 'COMPLETED', 'DEAD', 'CANCELLED'];
      const { totals } = report(
        'type',
        statuses.map((status) => row({ status })),
      );
      expect(totals).toMatchObject({ total: 7, completed: 1, dead: 1, cancelled: 1, inFlight: 4 });
    });

    it('counts an unknown status in total only', () => {
      const { totals } = report('type', [row({ status: 'ARCHIVED' })]);
      expect(totals).toMatchObject({ total: 1, completed: 0, dead: 0, cancelled: 0, inFlight: 0 });
      expect(totals.successRate).toBeNull();
    });
  });

  describe('grouping', () => {
    const rows = [
      row({ type: 'report', status: 'DEAD', createdAt: new Date('2025-03-03T23:59:59.999Z') }),
      row({ type: 'export', status: 'COMPLETED', createdAt: new Date('2025-03-04T00:00:00Z') }),
      row({ type: 'export', status: 'RUNNING', createdAt: new Date('2025-03-03T00:00:00Z') }),
      row({ type: 'import', status: 'COMPLETED', createdAt: new Date('2025-03-01T12:00:00Z') }),
    ];

    it('groups by type, sorted by key', () => {
      const result = report('type', rows);
      expect(result.groupBy).toBe('type');
      expect(result.groups.map((g) => [g.key, g.total])).toEqual([
        ['export', 2],
        ['import', 1],
        ['report', 1],
      ]);
    });

    it('groups by status, sorted by key', () => {
      const result = report('status', rows);
      expect(result.groups.map((g) => [g.key, g.total])).toEqual([
        ['COMPLETED', 2],
        ['DEAD', 1],
        ['RUNNING', 1],
      ]);
      expect(result.groups.find((g) => g.key === 'DEAD')?.dead).toBe(1);
    });

    it('groups by the UTC calendar day of createdAt, chronologically', () => {
      const result = report('day', rows);
      expect(result.groups.map((g) => [g.key, g.total])).toEqual([
        ['2025-03-01', 1],
        ['2025-03-03', 2],
        ['2025-03-04', 1],
      ]);
    });

    it('uses UTC regardless of the offset the Date was built from', () => {
      const result = report('day', [row({ createdAt: new Date('2025-03-05T01:30:00+02:00') })]);
      expect(result.groups.map((g) => g.key)).toEqual(['2025-03-04']);
    });

    it('sorts by code unit, not locale (uppercase before lowercase)', () => {
      const result = report('type', [row({ type: 'b' }), row({ type: 'B' }), row({ type: 'a' })]);
      expect(result.groups.map((g) => g.key)).toEqual(['B', 'a', 'b']);
    });

    it('totals are the sum of the groups', () => {
      const result = report('type', rows);
      const sum = (pick: (g: (typeof result.groups)[number]) => number) =>
        result.groups.reduce((acc, g) => acc + pick(g), 0);
      expect(result.totals.total).toBe(sum((g) => g.total));
      expect(result.totals.completed).toBe(sum((g) => g.completed));
      expect(result.totals.dead).toBe(sum((g) => g.dead));
      expect(result.totals.inFlight).toBe(sum((g) => g.inFlight));
      expect(result.totals.attempts.total).toBe(sum((g) => g.attempts.total));
    });

    it('rejects an unknown groupBy coming from untyped input', () => {
      expect(() => new ActivityAggregator('hour' as ReportGroupBy)).toThrow(RangeError);
    });

    it('defaults the time zone to UTC', () => {
      expect(new ActivityAggregator('day').timeZone).toBe('UTC');
    });
  });

  describe('paging', () => {
    it('gives the same report whether rows arrive in one page or many', () => {
      const rows = Array.from({ length: 25 }, (_, i) =>
        completedIn(i * 10, {
          type: i % 3 === 0 ? 'a' : 'b',
          status: i % 4 === 0 ? 'DEAD' : 'COMPLETED',
          attempts: (i % 3) + 1,
        }),
      );
      const paged = new ActivityAggregator('type');
      for (let i = 0; i < rows.length; i += 7) paged.add(rows.slice(i, i + 7));
      expect(paged.rowsSeen).toBe(25);
      expect(paged.finish(RANGE, NOW)).toEqual(report('type', rows));
    });

    it('finish can be called twice with identical results', () => {
      const aggregator = new ActivityAggregator('type');
      aggregator.add([completedIn(30), completedIn(10), completedIn(20)]);
      expect(aggregator.finish(RANGE, NOW)).toEqual(aggregator.finish(RANGE, NOW));
    });
  });

  describe('success rate', () => {
    const rate = (rows: JobActivityRow[]) => report('type', rows).totals.successRate;

    it('is null when nothing finished', () => {
      expect(rate([row({ status: 'RUNNING' }), row({ status: 'PENDING' })])).toBeNull();
    });

    it('is null when only cancelled jobs finished (cancellation is neither success nor failure)', () => {
      expect(rate([row({ status: 'CANCELLED' })])).toBeNull();
    });

    it('is 1 when everything finished completed', () => {
      expect(rate([row(), row(), row({ status: 'CANCELLED' })])).toBe(1);
    });

    it('is 0 (not null) when everything finished dead', () => {
      expect(rate([row({ status: 'DEAD' }), row({ status: 'DEAD' })])).toBe(0);
    });

    it('ignores in-flight and cancelled jobs in the denominator', () => {
      expect(
        rate([
          row(),
          row({ status: 'DEAD' }),
          row({ status: 'FAILED' }),
          row({ status: 'CANCELLED' }),
        ]),
      ).toBe(0.5);
    });

    it('rounds to 4 decimals', () => {
      expect(rate([row(), row(), row({ status: 'DEAD' })])).toBe(0.6667);
      expect(rate([row(), row({ status: 'DEAD' }), row({ status: 'DEAD' })])).toBe(0.3333);
    });

    it('is computed per group', () => {
      const result = report('type', [
        row({ type: 'a' }),
        row({ type: 'a', status: 'DEAD' }),
        row({ type: 'b', status: 'RUNNING' }),
      ]);
      expect(result.groups.map((g) => g.successRate)).toEqual([0.5, null]);
    });
  });

  describe('durations', () => {
    it('computes nearest-rank percentiles, max and mean on 1..100 ms', () => {
      const rows = Array.from({ length: 100 }, (_, i) => completedIn(100 - i)); // unsorted input
      expect(report('type', rows).totals.durationMs).toEqual({
        p50: 50,
        p90: 90,
        p99: 99,
        max: 100,
        mean: 51, // 50.5 rounded to whole ms
      });
    });

    it('only counts COMPLETED jobs', () => {
      const otherStatuses = ['PENDING', 'QUEUED', 'RUNNING', 'FAILED', 'DEAD', 'CANCELLED'];
      const rows = [
        completedIn(10),
        ...otherStatuses.map((status) => completedIn(1_000_000, { status })),
      ];
      expect(report('type', rows).totals.durationMs).toEqual({
        p50: 10,
        p90: 10,
        p99: 10,
        max: 10,
        mean: 10,
      });
    });

    it('is null for a group without completed jobs', () => {
      const result = report('type', [
        completedIn(10, { type: 'a' }),
        completedIn(50, { type: 'b', status: 'DEAD' }),
      ]);
      expect(result.groups.map((g) => g.durationMs)).toEqual([
        { p50: 10, p90: 10, p99: 10, max: 10, mean: 10 },
        null,
      ]);
    });

    it('skips completed rows missing startedAt or finishedAt but still counts them', () => {
      const result = report('type', [
        row({ startedAt: null }),
        row({ finishedAt: null }),
        completedIn(40),
      ]);
      expect(result.totals.completed).toBe(3);
      expect(result.totals.durationMs?.max).toBe(40);
      expect(result.totals.durationMs?.p50).toBe(40);
    });

    it('is null when no completed row has both timestamps', () => {
      expect(report('type', [row({ startedAt: null })]).totals.durationMs).toBeNull();
    });

    it('clamps negative durations (clock skew) to zero', () => {
      expect(report('type', [completedIn(-5)]).totals.durationMs?.max).toBe(0);
    });

    it('totals merge the durations of every group', () => {
      const result = report('type', [
        completedIn(10, { type: 'a' }),
        completedIn(20, { type: 'a' }),
        completedIn(30, { type: 'b' }),
        completedIn(40, { type: 'b' }),
      ]);
      expect(result.totals.durationMs).toEqual({ p50: 20, p90: 40, p99: 40, max: 40, mean: 25 });
    });

    it('summarizeDurations does not mutate its input', () => {
      const input = [3, 1, 2];
      summarizeDurations(input);
      expect(input).toEqual([3, 1, 2]);
    });

    it('summarizeDurations sorts numerically, not lexically', () => {
      expect(summarizeDurations([9, 10, 100])?.p50).toBe(10);
    });
  });

  describe('attempts', () => {
    it('sums attempts and counts jobs retried (more than one attempt)', () => {
      const { totals } = report('type', [
        row({ attempts: 0, status: 'PENDING' }),
        row({ attempts: 1 }),
        row({ attempts: 2 }),
        row({ attempts: 5, status: 'DEAD' }),
      ]);
      expect(totals.attempts).toEqual({ total: 8, retried: 2 });
    });
  });
});
