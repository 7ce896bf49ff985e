import type { PipeTransform } from '@nestjs/common';
import { Problems } from '../common/problem/problem.exception.js';

/** Any UUID (producers may choose v7 ids, say); the column is `uuid`, so nothing else can name a job. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** OpenAPI: the {id} of a job's routes. */
export const JOB_ID_PARAM = { name: 'id', format: 'uuid', description: 'The job id' } as const;

/** A path id that cannot be a job id is simply an unknown job: 404 with the same problem type. */
export class JobIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw Problems.jobNotFound(value.slice(0, 100));
    return value.toLowerCase();
  }
}
