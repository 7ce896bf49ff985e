import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's libfaketime package put its preload library (scripts/test/prepare.sh installs `faketime`). */
export async function faketimeLibrary(): Promise<string> {
  const listing = await run('dpkg', ['-L', 'libfaketime']).catch((error: Error) => {
    throw new Error(`libfaketime is not installed (the Debian package faketime; scripts/test/prepare.sh installs it): ${error.message}`);
  });
  const library = listing.stdout.split('\n').find((line) => line.endsWith('/libfaketime.so.1'));
  if (!library) throw new Error(`dpkg -L libfaketime lists no libfaketime.so.1:\n${listing.stdout}`);
  return library;
}

/** Environment that runs a process with its wall clock `offsetSeconds` off; timers (monotonic) stay real. */
export async function skewedClockEnv(offsetSeconds: number): Promise<Record<string, string>> {
  return {
    LD_PRELOAD: await faketimeLibrary(),
    FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}s`,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/**
 * Runs a Node child under the skew and reads its Date.now() twice, 300 ms apart on a real timer:
 * the offset must be the one asked for, and the clock must move (not be frozen at a fixed instant).
 */
export async function measureSkew(env: Record<string, string>): Promise<{ offsetMs: number; advancedMs: number }> {
  const script = 'const a = Date.now(); setTimeout(() => console.log(JSON.stringify({ a, b: Date.now() })), 300);';
  const before = Date.now();
  const { stdout } = await run(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...env } });
  const { a, b } = JSON.parse(stdout) as { a: number; b: number };
  return { offsetMs: a - before, advancedMs: b - a };
}
