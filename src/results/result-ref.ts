/** Where a job's result lives; stored on the job row (`result_ref`) by the completing transaction. */
export interface ResultRef {
  store: 'database' | 'filesystem' | 's3';
  contentType: string;
  sizeBytes: number;
  /** Store-specific address of the object (file name, object key); absent for the database store. */
  location?: string;
  /** The attempt that wrote it: only the attempt holding the lease may complete the job. */
  attempt?: number;
}
