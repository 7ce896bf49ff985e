import { attemptsOf, type HistoryRow } from './attempt-history.js';

const at = (second: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, second));
const row = (from: string | null, to: string, attempt: number, second: number, extra: Partial<HistoryRow> = {}): HistoryRow => ({
  from,
  to,
  attempt,
  reason: null,
  at: at(second),
  diagnostics: null,
  ...extra,
});

describe('attemptsOf', () => {
  it('pairs each start with its end, with worker, error and stack', () => {
    const attempts = attemptsOf([
      row(null, 'QUEUED', 0, 0),
      row('QUEUED', 'RUNNING', 1, 1, { diagnostics: { worker: 'w1' } }),
      row('RUNNING', 'FAILED', 1, 2, { reason: 'boom', diagnostics: { worker: 'w1', stack: 'Error: boom\n  at x' } }),
      row('FAILED', 'QUEUED', 1, 3),
      row('QUEUED', 'RUNNING', 2, 4, { diagnostics: { worker: 'w2' } }),
      row('RUNNING', 'DEAD', 2, 5, { reason: 'boom again' }),
    ]);
    expect(attempts).toEqual([
      { attempt: 1, worker: 'w1', startedAt: at(1), endedAt: at(2), outcome: 'FAILED', error: 'boom', stack: 'Error: boom\n  at x' },
      { attempt: 2, worker: 'w2', startedAt: at(4), endedAt: at(5), outcome: 'DEAD', error: 'boom again', stack: null },
    ]);
  });

  it('leaves a running attempt open and ignores moves that are not an attempt’s end', () => {
    const attempts = attemptsOf([row('QUEUED', 'DEAD', 0, 0, { reason: 'no worker' }), row('QUEUED', 'RUNNING', 1, 1)]);
    expect(attempts).toEqual([{ attempt: 1, worker: null, startedAt: at(1), endedAt: null, outcome: null, error: null, stack: null }]);
  });
});
