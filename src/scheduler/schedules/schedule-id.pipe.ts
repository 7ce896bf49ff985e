import { UuidOr404 } from '../../common/validation/uuid-or-404.pipe.js';
import { ScheduleProblems } from './schedule-problems.js';

/** A path id that cannot be a schedule id is an unknown schedule: 404. */
export class ScheduleIdPipe extends UuidOr404 {
  constructor() {
    super(ScheduleProblems.notFound);
  }
}
