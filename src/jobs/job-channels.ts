/** PostgreSQL NOTIFY channels; both profiles share the database, so these reach every node. */
export const JobChannels = {
  /** A job became QUEUED (embedded queue): idle dispatchers claim. */
  queued: 'longhaul_jobs',
  /** A delayed job or a retry was scheduled: the due-jobs sweeper re-arms its timer. */
  due: 'longhaul_due',
  /** A running job was cancelled; payload is its id: the node running it aborts the handler. */
  cancelled: 'longhaul_cancel',
} as const;
