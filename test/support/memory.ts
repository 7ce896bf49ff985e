import { readFileSync } from 'node:fs';

/** Resident set size of a process, from /proc/<pid>/status (VmRSS). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

export interface RssReading {
  baselineBytes: number;
  peakBytes: number;
  growthBytes: number;
}

/** Samples a process's RSS every few milliseconds while `work` runs; reports the peak over the baseline. */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>, everyMs = 10): Promise<{ value: T; rss: RssReading }> {
  const baselineBytes = residentBytes(pid);
  let peakBytes = baselineBytes;
  const timer = setInterval(() => (peakBytes = Math.max(peakBytes, residentBytes(pid))), everyMs);
  try {
    const value = await work();
    peakBytes = Math.max(peakBytes, residentBytes(pid));
    return { value, rss: { baselineBytes, peakBytes, growthBytes: peakBytes - baselineBytes } };
  } finally {
    clearInterval(timer);
  }
}
