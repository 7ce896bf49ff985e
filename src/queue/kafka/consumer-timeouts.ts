/** Kafka's bounds for a consumer session: the broker's default group.min.session.timeout.ms, and our ceiling. */
const MIN_SESSION_MS = 6000;
const MAX_SESSION_MS = 30_000;

/**
 * A crashed worker's jobs come back after their lease (JOB_LEASE_MS), and are re-dispatched to the partition
 * the dead member still owns until its session times out: both detection times follow the lease.
 */
export function consumerTimeouts(jobLeaseMs: number): {
  sessionTimeout: number;
  heartbeatInterval: number;
} {
  const sessionTimeout = Math.min(MAX_SESSION_MS, Math.max(MIN_SESSION_MS, 2 * jobLeaseMs));
  return { sessionTimeout, heartbeatInterval: Math.min(3000, Math.floor(sessionTimeout / 3)) };
}
