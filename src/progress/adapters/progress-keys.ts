/** The Redis names progress uses; `prefix` is PROGRESS_KEY_PREFIX (empty in production). */
export const progressKey = (prefix: string, jobId: string): string =>
  `${prefix}job:progress:${jobId}`;
export const progressChannel = (prefix: string): string => `${prefix}job:progress-events`;
