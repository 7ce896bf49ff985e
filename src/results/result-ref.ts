/** Where a job's result lives; stored on the job row (`result_ref`) by the completing transaction. */
export interface ResultRef {
  store: 'database' | 'filesystem' | 's3';
  contentType: string;
  sizeBytes: number;
  /** Store-specific address of the object (file name, object key); absent for the database store. */
  location?: string;
  /** The attempt that wrote it: only the attempt holding the lease may complete the job. */
  attempt?: number;
  /** Named files that belong to the result (a video's renditions), published with it; never in the database store. */
  files?: Record<string, ResultRef>;
}

/** File names of a result: safe in a path, an object key and a URL. */
export const RESULT_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
