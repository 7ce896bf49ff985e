import { open } from 'node:fs/promises';
import { tailLines } from './run-command.js';

/** The last lines of the PostgreSQL server log, for error messages. */
export async function readLogTail(logFile: string, maxLines = 20): Promise<string | undefined> {
  try {
    const handle = await open(logFile, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 16 * 1024);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const tail = tailLines(buffer.toString('utf8'), maxLines);
      return tail ? `--- tail of ${logFile} ---\n${tail}` : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
