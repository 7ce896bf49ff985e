import { createHash, randomBytes } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http } from './support/http.js';
import { emptyPrefix, s3Env, testS3Client } from './support/s3.js';
import { API_KEYS, as } from './support/security.js';
import { createUpload, patchChunk, uploadOffset } from './support/tus.js';
import { uniqueName } from './support/kafka.js';

const A = as('submitterA');
const CHUNK_LIMIT = 64 * 1024;
const checksum = (algorithm: string, bytes: Buffer) => `${algorithm} ${createHash(algorithm).update(bytes).digest('base64')}`;

/** The tus checksum extension on both upload stores: the filesystem (embedded profile) and S3 (S3Mock). */
describe.each([
  ['the filesystem store', false],
  ['the S3 store', true],
])('tus checksum extension on %s', (_store, onS3) => {
  const prefix = `${uniqueName()}/`;
  const s3 = testS3Client();
  let schema: TestSchema | undefined;
  let app: AppProcess;

  beforeAll(async () => {
    const limits = { API_KEYS, UPLOAD_CHECKSUM_MAX_CHUNK_BYTES: String(CHUNK_LIMIT), VIDEO_JOB_ENABLED: 'false' };
    if (onS3) {
      schema = await createTestSchema('checksum');
      app = await startApp({ ...schema.env, ...s3Env(prefix), ...limits });
    } else app = await startApp(limits);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    if (onS3) await emptyPrefix(s3, prefix);
    s3.destroy();
    await schema?.drop();
  }, 60_000);

  it('advertises the extension and its algorithms', async () => {
    const answer = await fetch(`${app.baseUrl}/uploads`, { method: 'OPTIONS', headers: A });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('tus-extension')?.split(',')).toContain('checksum');
    expect(answer.headers.get('tus-checksum-algorithm')?.split(',')).toEqual(expect.arrayContaining(['sha1', 'sha256']));
  });

  it('stores a chunk whose checksum matches; refuses a corrupted one with 460 and keeps the offset', async () => {
    const bytes = randomBytes(40_000);
    const location = await createUpload(app.baseUrl, bytes.length, A);
    const first = bytes.subarray(0, 15_000);
    expect(await patchChunk(app.baseUrl, location, 0, first, { ...A, 'upload-checksum': checksum('sha1', first) })).toEqual({ status: 204, offset: 15_000 });

    // The chunk is damaged on the way: its checksum is of the bytes the client meant to send.
    const second = bytes.subarray(15_000);
    const damaged = Buffer.from(second);
    damaged[1234] ^= 0xff;
    const refused = await patchChunk(app.baseUrl, location, 15_000, damaged, { ...A, 'upload-checksum': checksum('sha256', second) });
    expect(refused.status).toBe(460);
    expect(await uploadOffset(app.baseUrl, location, A)).toEqual({ status: 200, offset: 15_000 });

    // The client resends the chunk; the upload is whole and byte for byte what was sent.
    expect(await patchChunk(app.baseUrl, location, 15_000, second, { ...A, 'upload-checksum': checksum('sha256', second) })).toEqual({ status: 204, offset: 40_000 });
    expect(await uploadOffset(app.baseUrl, location, A)).toEqual({ status: 200, offset: 40_000 });
    const stored = await fetch(app.baseUrl + location, { headers: A });
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('checks a creation-with-upload POST too: a mismatch creates nothing', async () => {
    const bytes = randomBytes(5_000);
    const create = (sum: string) =>
      fetch(`${app.baseUrl}/uploads`, {
        method: 'POST',
        headers: { ...A, 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'content-type': 'application/offset+octet-stream', 'upload-checksum': sum },
        body: bytes,
      });
    const refused = await create(checksum('md5', randomBytes(5_000)));
    expect(refused.status).toBe(460);
    expect(refused.headers.get('location')).toBeNull();

    const created = await create(checksum('md5', bytes));
    expect(created.status).toBe(201);
    expect(Number(created.headers.get('upload-offset'))).toBe(bytes.length);
    expect(await uploadOffset(app.baseUrl, created.headers.get('location')!, A)).toEqual({ status: 200, offset: bytes.length });
  });

  it('answers 400 to an unknown algorithm or a malformed header, 413 to a checksummed chunk over the limit; the offset stays', async () => {
    const bytes = randomBytes(CHUNK_LIMIT + 1);
    const location = await createUpload(app.baseUrl, bytes.length, A);
    const crc = await patchChunk(app.baseUrl, location, 0, bytes.subarray(0, 10), { ...A, 'upload-checksum': 'crc32 AAAAAA==' });
    expect(crc.status).toBe(400);
    expect((await patchChunk(app.baseUrl, location, 0, bytes.subarray(0, 10), { ...A, 'upload-checksum': 'sha1' })).status).toBe(400);
    expect((await patchChunk(app.baseUrl, location, 0, bytes, { ...A, 'upload-checksum': checksum('sha1', bytes) })).status).toBe(413);
    expect(await uploadOffset(app.baseUrl, location, A)).toEqual({ status: 200, offset: 0 });
    // Without the header the same chunk streams straight to the store.
    expect(await patchChunk(app.baseUrl, location, 0, bytes, A)).toEqual({ status: 204, offset: bytes.length });
  });

  it('keeps tenants apart on the checked path: another tenant’s upload id is 404 even with a valid checksum', async () => {
    const location = await createUpload(app.baseUrl, 100, A);
    const chunk = randomBytes(100);
    const foreign = await patchChunk(app.baseUrl, location, 0, chunk, { ...as('submitterB'), 'upload-checksum': checksum('sha1', chunk) });
    expect(foreign.status).toBe(404);
    expect(await uploadOffset(app.baseUrl, location, A)).toEqual({ status: 200, offset: 0 });
    expect((await http(app.baseUrl, '/health/live')).status).toBe(200);
  });
});
