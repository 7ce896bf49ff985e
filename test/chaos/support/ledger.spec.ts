import { judgeExactlyOnce, type LedgerRow } from './ledger.js';

const ID = '11111111-1111-4111-8111-111111111111';

function clean(overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id: ID,
    status: 'COMPLETED',
    attempts: 2,
    completedTransitions: 1,
    completedAttempt: 2,
    completionMoves: 1,
    completedRowRewrites: 0,
    resultInserts: 1,
    resultRewrites: 0,
    storedAttempt: 2,
    body: JSON.stringify({ sleptMs: 10, steps: 1, jobId: ID, attempt: 2 }),
    ...overrides,
  };
}

/** The chaos suite's "exactly once" judge must be able to fail: each kind of damage is caught on its own. */
describe('judgeExactlyOnce', () => {
  it('passes a job completed once, by the attempt whose result is stored', () => {
    const verdict = judgeExactlyOnce([ID], [clean()]);
    expect(verdict).toMatchObject({ completed: 1, lost: 0, completedTwice: 0, resultOverwrites: 0, resultFromWrongAttempt: 0, violations: [] });
  });

  it.each<[string, Partial<LedgerRow> | null, keyof ReturnType<typeof judgeExactlyOnce>]>([
    ['a job left QUEUED', { status: 'QUEUED' }, 'lost'],
    ['a job buried DEAD', { status: 'DEAD' }, 'lost'],
    ['a job row that is missing', null, 'lost'],
    ['a second COMPLETED transition', { completedTransitions: 2 }, 'completedTwice'],
    ['a second move into COMPLETED', { completionMoves: 2 }, 'completedTwice'],
    ['a COMPLETED row written again by a stale attempt', { completedRowRewrites: 1 }, 'completedTwice'],
    ['a result updated after it was written', { resultRewrites: 1 }, 'resultOverwrites'],
    ['no result written', { resultInserts: 0, storedAttempt: null, body: null }, 'resultOverwrites'],
    ['a stored result from another attempt', { storedAttempt: 1 }, 'resultFromWrongAttempt'],
    ['a result body naming another attempt', { body: JSON.stringify({ jobId: ID, attempt: 1 }) }, 'resultFromWrongAttempt'],
    ['a result body of another job', { body: JSON.stringify({ jobId: 'other', attempt: 2 }) }, 'resultFromWrongAttempt'],
  ])('catches %s', (_what, overrides, counter) => {
    const verdict = judgeExactlyOnce([ID], overrides === null ? [] : [clean(overrides)]);
    expect(verdict[counter]).toBe(1);
    expect(verdict.violations).toHaveLength(verdict.lost + verdict.completedTwice + verdict.resultOverwrites + verdict.resultFromWrongAttempt);
  });
});
