import { request } from 'node:http';

/** A small tus 1.0 client for tests (fetch for the requests that complete, node:http for one that is cut off). */
const TUS = { 'tus-resumable': '1.0.0' };

export async function createUpload(baseUrl: string, sizeBytes: number, headers: Record<string, string> = {}): Promise<string> {
  const answer = await fetch(`${baseUrl}/uploads`, { method: 'POST', headers: { ...TUS, ...headers, 'upload-length': String(sizeBytes) } });
  const location = answer.headers.get('location');
  if (answer.status !== 201 || !location) throw new Error(`tus create answered ${answer.status}: ${await answer.text()}`);
  return location;
}

export async function uploadOffset(baseUrl: string, location: string, headers: Record<string, string> = {}): Promise<{ status: number; offset: number | null }> {
  const answer = await fetch(baseUrl + location, { method: 'HEAD', headers: { ...TUS, ...headers } });
  const offset = answer.headers.get('upload-offset');
  return { status: answer.status, offset: offset === null ? null : Number(offset) };
}

export async function patchChunk(
  baseUrl: string,
  location: string,
  offset: number,
  chunk: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; offset: number | null }> {
  const answer = await fetch(baseUrl + location, {
    method: 'PATCH',
    headers: { ...TUS, ...headers, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body: chunk,
  });
  await answer.arrayBuffer();
  const next = answer.headers.get('upload-offset');
  return { status: answer.status, offset: next === null ? null : Number(next) };
}

/** A PATCH whose connection drops after `sentBytes` of the announced chunk: the server keeps what it got (or nothing). */
export function droppedPatch(baseUrl: string, location: string, offset: number, chunk: Buffer, sentBytes: number, headers: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve) => {
    const req = request(baseUrl + location, {
      method: 'PATCH',
      headers: { ...TUS, ...headers, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(chunk.length) },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(chunk.subarray(0, sentBytes), () => setTimeout(() => req.destroy(), 200));
  });
}

/** Uploads `bytes` in `chunks` PATCHes, dropping the connection in the middle of one and resuming from HEAD's offset. */
export async function uploadWithResume(baseUrl: string, bytes: Buffer, chunks: number, headers: Record<string, string> = {}): Promise<{ location: string; resumedFrom: number }> {
  const location = await createUpload(baseUrl, bytes.length, headers);
  const chunkSize = Math.ceil(bytes.length / chunks);
  let offset = 0;
  let resumedFrom = -1;
  while (offset < bytes.length) {
    const chunk = bytes.subarray(offset, offset + chunkSize);
    if (resumedFrom < 0 && offset >= bytes.length / 3) {
      await droppedPatch(baseUrl, location, offset, chunk, Math.floor(chunk.length / 2), headers);
      const head = await uploadOffset(baseUrl, location, headers);
      if (head.status !== 200 || head.offset === null) throw new Error(`HEAD after the dropped PATCH answered ${head.status}`);
      offset = resumedFrom = head.offset;
      continue;
    }
    const answer = await patchChunk(baseUrl, location, offset, chunk, headers);
    if (answer.status !== 204 || answer.offset === null) throw new Error(`PATCH at ${offset} answered ${answer.status}`);
    offset = answer.offset;
  }
  return { location, resumedFrom };
}
