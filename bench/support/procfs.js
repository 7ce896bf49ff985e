// Readings of a process from /proc (Linux): CPU time and resident memory, by pid.
import { readFileSync } from 'node:fs';
import { percentile } from './stats.js';

/** utime + stime of a process in seconds, NaN if it cannot be read. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** VmRSS of a process in bytes, NaN if it cannot be read (gone, or not Linux). */
export function rssBytes(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Samples a process's VmRSS every `intervalMs` until stop(); stop() returns max and p50 in MiB and the
 * number of samples (an unreadable sample, e.g. after the process exited, is skipped).
 */
export function sampleRss(pid, intervalMs = 100) {
  const samples = [];
  const take = () => {
    const bytes = rssBytes(pid);
    if (Number.isFinite(bytes)) samples.push(bytes / 1048576);
  };
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      take();
      const sorted = [...samples].sort((a, b) => a - b);
      return { maxMiB: sorted[sorted.length - 1] ?? NaN, p50MiB: percentile(sorted, 50), samples: sorted.length, intervalMs };
    },
  };
}
