import type { ExactlyOnceVerdict } from './ledger.js';

/** The exactly-once figures, with the first offending jobs, compared in one assertion so a failure shows all of them. */
export function expectExactlyOnce(verdict: ExactlyOnceVerdict): void {
  expect({
    lost: verdict.lost,
    completedTwice: verdict.completedTwice,
    resultOverwrites: verdict.resultOverwrites,
    resultFromWrongAttempt: verdict.resultFromWrongAttempt,
    statuses: verdict.statuses,
    firstViolations: verdict.violations,
  }).toEqual({
    lost: 0,
    completedTwice: 0,
    resultOverwrites: 0,
    resultFromWrongAttempt: 0,
    statuses: { COMPLETED: verdict.accepted },
    firstViolations: [],
  });
}

/** Figures of a verdict for the report. */
export function verdictFigures(verdict: ExactlyOnceVerdict): Record<string, number | Record<string, number>> {
  return {
    accepted: verdict.accepted,
    completed: verdict.completed,
    lost: verdict.lost,
    completedTwice: verdict.completedTwice,
    resultWrites: verdict.resultWrites,
    resultOverwrites: verdict.resultOverwrites,
    resultFromWrongAttempt: verdict.resultFromWrongAttempt,
    statuses: verdict.statuses,
  };
}
