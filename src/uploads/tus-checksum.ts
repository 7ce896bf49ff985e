import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** tus checksum extension: the algorithms a client may name in `Upload-Checksum` (sha1 is required by tus 1.0). */
export const CHECKSUM_ALGORITHMS = ['sha1', 'sha256', 'sha512', 'md5'] as const;

/** tus's status for a chunk whose checksum does not match: the chunk is discarded, the offset stays. */
export const CHECKSUM_MISMATCH = 460;

export type CheckedChunk =
  | { ok: true; body: Buffer }
  | { ok: false; status: number; message: string };

interface ChecksumHeader {
  algorithm: string;
  digest: Buffer;
}

/** `Upload-Checksum: <algorithm> <base64 digest>`; null when it names no algorithm we have or is malformed. */
export function parseChecksumHeader(value: string): ChecksumHeader | null {
  const match = /^([a-z0-9-]+) ([A-Za-z0-9+/]+={0,2})$/i.exec(value.trim());
  if (!match) return null;
  const algorithm = match[1].toLowerCase();
  if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) return null;
  return { algorithm, digest: Buffer.from(match[2], 'base64') };
}

/**
 * Reads a chunk that carries `Upload-Checksum` and checks it before any byte reaches the store, so a
 * corrupted chunk is refused whole (460) and the upload's offset does not move. Held in memory, so it
 * is bounded by `maxBytes` (413 above: clients that checksum send chunks of a few MiB).
 */
export function readCheckedChunk(request: IncomingMessage, header: string, maxBytes: number): Promise<CheckedChunk> {
  const checksum = parseChecksumHeader(header);
  if (!checksum) {
    return Promise.resolve({ ok: false, status: 400, message: `Upload-Checksum must be "<algorithm> <base64 digest>" with an algorithm of ${CHECKSUM_ALGORITHMS.join(', ')}\n` });
  }
  const tooLarge: CheckedChunk = { ok: false, status: 413, message: `a checksummed chunk may have at most ${maxBytes} bytes; send smaller chunks\n` };
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(tooLarge);

  const hash = createHash(checksum.algorithm);
  const parts: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    const onData = (part: Buffer) => {
      size += part.length;
      if (size > maxBytes) {
        // Answer 413 now; the rest is read and dropped (not a reset the client would retry blindly).
        request.off('data', onData);
        request.resume();
        parts.length = 0;
        resolve(tooLarge);
        return;
      }
      hash.update(part);
      parts.push(part);
    };
    request.on('data', onData);
    request.once('error', reject);
    request.once('end', () => {
      if (size > maxBytes) return;
      if (!hash.digest().equals(checksum.digest)) resolve({ ok: false, status: CHECKSUM_MISMATCH, message: 'Checksum Mismatch\n' });
      else resolve({ ok: true, body: Buffer.concat(parts, size) });
    });
    request.once('close', () => {
      if (!request.complete) reject(new Error('the request ended before its body did'));
    });
  });
}
