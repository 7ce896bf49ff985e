import type { ActivityGroup, ActivityReport } from './activity-report.js';
import { ACTIVITY_CSV_HEADER, csvCell, renderActivityReportCsv } from './report-csv.js';

const HEADER =
  'key,total,completed,dead,cancelled,in_flight,success_rate,p50_ms,p90_ms,p99_ms,max_ms,mean_ms,attempts,retried';

function group(key: string, overrides: Partial<ActivityGroup> = {}): ActivityGroup {
  return {
    key,
    total: 4,
    completed: 2,
    dead: 1,
    cancelled: 0,
    inFlight: 1,
    successRate: 0.6667,
    durationMs: { p50: 100, p90: 200, p99: 300, max: 400, mean: 150 },
    attempts: { total: 6, retried: 1 },
    ...overrides,
  };
}

function reportOf(groups: ActivityGroup[], totals?: Omit<ActivityGroup, 'key'>): ActivityReport {
  const defaultTotals: Omit<ActivityGroup, 'key'> & { key?: string } = group('TOTAL');
  delete defaultTotals.key;
  return {
    from: '2025-03-01T00:00:00.000Z',
    to: '2025-03-08T00:00:00.000Z',
    groupBy: 'type',
    generatedAt: '2025-03-08T00:05:00.000Z',
    totals: totals ?? defaultTotals,
    groups,
  };
}

describe('renderActivityReportCsv', () => {
  it('renders header, one row per group and a TOTAL row with CRLF line endings', () => {
    const csv = renderActivityReportCsv(reportOf([group('export'), group('import')]));
    expect(csv).toBe(
      [
        HEADER,
        'export,4,2,1,0,1,0.6667,100,200,300,400,150,6,1',
        'import,4,2,1,0,1,0.6667,100,200,300,400,150,6,1',
        'TOTAL,4,2,1,0,1,0.6667,100,200,300,400,150,6,1',
        '',
      ].join('\r\n'),
    );
  });

  it('exports the header columns in order', () => {
    expect(ACTIVITY_CSV_HEADER.join(',')).toBe(HEADER);
  });

  it('renders an empty report as header plus an all-zero TOTAL row with empty nulls', () => {
    const csv = renderActivityReportCsv(
      reportOf([], {
        total: 0,
        completed: 0,
        dead: 0,
        cancelled: 0,
        inFlight: 0,
        successRate: null,
        durationMs: null,
        attempts: { total: 0, retried: 0 },
      }),
    );
    expect(csv).toBe(`${HEADER}\r\nTOTAL,0,0,0,0,0,,,,,,,0,0\r\n`);
  });

  it('renders a null success rate and null durations as empty cells', () => {
    const csv = renderActivityReportCsv(
      reportOf([group('a', { successRate: null, durationMs: null })]),
    );
    expect(csv.split('\r\n')[1]).toBe('a,4,2,1,0,1,,,,,,,6,1');
  });

  it('has no bare LF line breaks', () => {
    const csv = renderActivityReportCsv(reportOf([group('a'), group('b')]));
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('keeps every row the same width as the header', () => {
    const csv = renderActivityReportCsv(reportOf([group('a')]));
    for (const line of csv.split('\r\n').filter(Boolean)) {
      expect(line.split(',')).toHaveLength(ACTIVITY_CSV_HEADER.length);
    }
  });

  it('quotes and guards hostile group keys', () => {
    const csv = renderActivityReportCsv(reportOf([group('=HYPERLINK("http://x","y")')]));
    expect(csv.split('\r\n')[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""y""\)",4,/);
  });
});

describe('csvCell', () => {
  it('leaves plain cells alone', () => {
    expect(csvCell('export')).toBe('export');
    expect(csvCell('2025-03-01')).toBe('2025-03-01');
    expect(csvCell('0.6667')).toBe('0.6667');
    expect(csvCell('')).toBe('');
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line1\nline2', '"line1\nline2"'],
    ['line1\r\nline2', '"line1\r\nline2"'],
  ])('quotes %j as %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
  ])('prefixes formula-like %j with a single quote', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('guards before quoting, so the quote ends up inside the quoted field', () => {
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('only guards a leading trigger character', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('report-daily')).toBe('report-daily');
    expect(csvCell('user@example.com')).toBe('user@example.com');
  });
});
