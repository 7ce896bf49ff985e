import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '../support/run-context.js';

export { sleep };
export { latencyStats, percentile } from '../support/stats.js';

export const log = logger('bench:e2e');

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

/**
 * The throughput rule every system gets: submit up to `jobs` with `concurrency` in flight, then wait until
 * `completed()` (jobs completed since the phase began) reaches what was submitted — both bounded by
 * `maxSeconds` from the first submit. Rate = completed ÷ elapsed; `capped` says the time ran out first (a
 * slow system is measured on what it did in the window, not waited out).
 */
export async function timedThroughput({ jobs, concurrency, maxSeconds, submit, completed, pollMs = 10 }) {
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  let submitted = 0;
  await mapLimit(jobs, concurrency, async () => {
    if (performance.now() >= deadline) return;
    await submit();
    submitted++;
  });
  const submitMs = performance.now() - started;
  let done = 0;
  for (;;) {
    done = await completed();
    if (done >= submitted || performance.now() >= deadline) break;
    await sleep(pollMs);
  }
  const elapsedMs = performance.now() - started;
  return { jobs, submitted, completed: done, capped: done < jobs, elapsedMs, submitMs, rate: (done / elapsedMs) * 1000 };
}
