export interface JobError {
  message: string;
  code?: string;
  attempt: number;
  /** Set by the database when the error is recorded. */
  at: string;
}

/** An error as a worker reports it; the database adds the time. Its stack goes to the history's diagnostics only. */
export type JobErrorInput = Omit<JobError, 'at'> & { stack?: string };
