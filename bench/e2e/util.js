import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** Wall-clock epoch milliseconds with sub-millisecond precision (same clock PostgreSQL's now() reads). */
export const epochMs = () => performance.timeOrigin + performance.now();

/** Re-checks `check` every `intervalMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor(check, { timeoutMs = 60_000, intervalMs = 20, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(intervalMs);
  }
}

/** Runs `task(i)` for i in [0, count) with at most `limit` in flight; returns the results in order. */
export async function mapLimit(count, limit, task) {
  const results = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return results;
}

/**
 * Closed loop for latency: submits one job, waits until `isDone(job)` holds, then the next, so no job ever
 * waits behind another. The poll cadence only paces the loop; latency comes from the queue's timestamps.
 */
export async function oneAtATime(count, submitOne, isDone, { pollMs = 3, timeoutMs = 30_000, randomGapMs = 0 } = {}) {
  const submitted = [];
  for (let i = 0; i < count; i++) {
    const job = await submitOne();
    await waitFor(() => isDone(job), { timeoutMs, intervalMs: pollMs, what: `job ${job.id} to complete` });
    submitted.push(job);
    // For a polling queue: a random phase against its poll cycle, not always "just after a poll".
    if (randomGapMs > 0) await sleep(Math.random() * randomGapMs);
  }
  return submitted;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function latencyStats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

export function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}
