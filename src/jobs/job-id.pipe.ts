import { Problems } from '../common/problem/problem.exception.js';
import { UuidOr404 } from '../common/validation/uuid-or-404.pipe.js';

/** OpenAPI: the {id} of a job's routes. */
export const JOB_ID_PARAM = { name: 'id', format: 'uuid', description: 'The job id' } as const;

/**
 * A path id that cannot be a job id is simply an unknown job: 404 with the same problem type. Any UUID
 * (producers may choose v7 ids, say); the column is `uuid`, so nothing else can name a job.
 */
export class JobIdPipe extends UuidOr404 {
  constructor() {
    super(Problems.jobNotFound);
  }
}
