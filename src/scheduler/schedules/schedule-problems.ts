import { ProblemException } from '../../common/problem/problem.exception.js';

export const ScheduleProblems = {
  notFound: (id: string) =>
    new ProblemException(
      404,
      'schedule-not-found',
      'Schedule not found',
      `no schedule with id ${id}`,
    ),
  nameTaken: (name: string) =>
    new ProblemException(
      409,
      'schedule-name-taken',
      'Schedule name taken',
      `a schedule named "${name}" exists`,
      { name },
    ),
};
