import { createHash } from 'node:crypto';

const CHUNK_BYTES = 64 * 1024;

/**
 * The bytes of a `blob` result, generated chunk by chunk (never all in memory): chunk i is the
 * SHA-256 of i repeated, so anyone can regenerate and compare them.
 */
export function* blobChunks(sizeBytes: number): Generator<Buffer> {
  for (let index = 0, left = sizeBytes; left > 0; index++, left -= CHUNK_BYTES) {
    const digest = createHash('sha256').update(String(index)).digest();
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, left));
    chunk.fill(digest);
    yield chunk;
  }
}
