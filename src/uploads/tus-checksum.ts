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
export async function readCheckedChunk(request: IncomingMessage, header: string, maxBytes: number): Promise<CheckedChunk> {
  const checksum = parseChecksumHeader(header);
  if (!checksum) {
    return { ok: false, status: 400, message: `Upload-Checksum must be "<algorithm> <base64 digest>" with an algorithm of ${CHECKSUM_ALGORITHMS.join(', ')}\n` };
  }
  const tooLarge: CheckedChunk = { ok: false, status: 413, message: `a checksummed chunk may have at most ${maxBytes} bytes; send smaller chunks\n` };
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return tooLarge;

  const hash = createHash(checksum.algorithm);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBytes) return tooLarge;
    hash.update(part);
    parts.push(part);
  }
  if (!hash.digest().equals(checksum.digest)) return { ok: false, status: CHECKSUM_MISMATCH, message: 'Checksum Mismatch\n' };
  return { ok: true, body: Buffer.concat(parts, size) };
}
