import { Problems } from '../../common/problem/problem.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_STREAM_JOBS = 100;

/** `?ids=a,b,c` of the multi-job stream: 1-100 distinct job ids. */
export function parseJobIds(raw: string | undefined): string[] {
  const ids = [
    ...new Set(
      (raw ?? '')
        .split(',')
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const invalid = ids.find((id) => !UUID.test(id));
  if (ids.length === 0 || ids.length > MAX_STREAM_JOBS || invalid !== undefined) {
    throw Problems.validation([
      {
        field: 'ids',
        message: invalid
          ? `"${invalid.slice(0, 40)}" is not a job id`
          : `give 1 to ${MAX_STREAM_JOBS} comma-separated job ids`,
      },
    ]);
  }
  return ids;
}
