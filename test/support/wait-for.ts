export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  what?: string | (() => string);
}

/** Re-checks a condition until it holds; the interval is a polling cadence, not a guess at timing. */
export async function waitFor<T>(check: () => Promise<T | false | null | undefined> | T | false | null | undefined, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
      if (error instanceof Error && error.message.startsWith('app exited')) throw error;
    }
    if (Date.now() > deadline) {
      const what = typeof options.what === 'function' ? options.what() : (options.what ?? 'condition');
      throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}`);
    }
    await new Promise((resolveTimer) => setTimeout(resolveTimer, options.intervalMs ?? 50));
  }
}
