import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { emptyPrefix, keysUnder, s3Env, testS3Client } from './support/s3.js';
import { API_KEYS, as } from './support/security.js';
import { createUpload, patchChunk, uploadOffset } from './support/tus.js';
import { uniqueName } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

const A = as('submitterA');
const CHUNK_LIMIT = 64 * 1024;
const FORM_LIMIT = 200 * 1024;
const checksum = (algorithm: string, bytes: Buffer) => `${algorithm} ${createHash(algorithm).update(bytes).digest('base64')}`;

function formWith(bytes: Buffer, field = 'file'): FormData {
  const form = new FormData();
  form.append('note', 'ignored');
  form.append(field, new Blob([bytes], { type: 'video/mp4' }), 'clip.mp4');
  return form;
}

/** An app on the filesystem upload store (embedded profile), or on S3Mock with a schema and key prefix of its own. */
function uploadsApp(onS3: boolean, schemaLabel: string) {
  const prefix = `${uniqueName()}/`;
  const s3 = testS3Client();
  let schema: TestSchema | undefined;
  let app: AppProcess | undefined;
  return {
    prefix,
    s3,
    async start(env: Record<string, string>): Promise<AppProcess> {
      if (onS3) {
        schema = await createTestSchema(schemaLabel);
        app = await startApp({ ...schema.env, ...s3Env(prefix), ...env });
      } else app = await startApp(env);
      return app;
    },
    async stop(): Promise<void> {
      await app?.stop();
      if (onS3) await emptyPrefix(s3, prefix);
      s3.destroy();
      await schema?.drop();
    },
  };
}

/** The small-file and the checksum paths of /uploads on both upload stores: the filesystem (embedded profile) and S3 (S3Mock). */
describe.each([
  ['the filesystem store', false],
  ['the S3 store', true],
])('uploads on %s', (_store, onS3) => {
  const target = uploadsApp(onS3, 'uploads');
  const { prefix, s3 } = target;
  const workDir = mkdtempSync(join(tmpdir(), 'longhaul-uploads-e2e-'));
  let app: AppProcess;
  let clip: Buffer;

  /** What the upload store holds: S3 keys under the prefix, or the files of DATA_DIR/uploads. */
  const stored = async () => (onS3 ? (await keysUnder(s3, `${prefix}uploads/`)).length : readdirSync(join(app.dataDir, 'uploads')).length);
  const formUpload = (form: FormData, headers: Record<string, string> = A) => fetch(`${app.baseUrl}/uploads/form`, { method: 'POST', headers, body: form });

  beforeAll(async () => {
    const limits = { API_KEYS, UPLOAD_CHECKSUM_MAX_CHUNK_BYTES: String(CHUNK_LIMIT), UPLOAD_FORM_MAX_BYTES: String(FORM_LIMIT) };
    const file = join(workDir, 'clip.mp4');
    await promisify(execFile)('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=25', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', file]);
    clip = readFileSync(file);
    app = await target.start(limits);
  }, 120_000);

  afterAll(async () => {
    await target.stop();
    rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it('takes a small file in one multipart/form-data request as a finished upload a job can use', async () => {
    const answer = await formUpload(formWith(clip));
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { uploadId: string; sizeBytes: number; location: string };
    expect(body).toEqual({ uploadId: expect.stringMatching(/^[0-9a-f-]{36}$/), sizeBytes: clip.length, location: `/uploads/${body.uploadId}` });
    expect(await uploadOffset(app.baseUrl, body.location, A)).toEqual({ status: 200, offset: clip.length });
    const bytes = await fetch(app.baseUrl + body.location, { headers: A });
    expect(Buffer.from(await bytes.arrayBuffer()).equals(clip)).toBe(true);
    // Another tenant does not see it.
    expect((await uploadOffset(app.baseUrl, body.location, as('submitterB'))).status).toBe(404);

    const job = await http(app.baseUrl, '/jobs', { method: 'POST', headers: A, json: { type: 'video.transcode', payload: { uploadId: body.uploadId, renditions: [{ height: 60, format: 'mp4' }], poster: false } } });
    expect(job.status).toBe(202);
    await waitForStatus(app.baseUrl, job.body.jobId, ['COMPLETED'], 60_000, A);
    const manifest = (await http(app.baseUrl, `/jobs/${job.body.jobId}/result`, { headers: A })).body;
    expect(manifest.renditions[0]).toMatchObject({ name: '60p.mp4', height: 60 });
  });

  it('refuses a form upload over UPLOAD_FORM_MAX_BYTES (413), without a file part (400) or not multipart (415), storing nothing', async () => {
    const before = await stored();
    const tooLarge = await formUpload(formWith(randomBytes(FORM_LIMIT + 1)));
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { type: string }).type).toMatch(/upload-too-large$/);
    expect((await formUpload(formWith(clip, 'video'))).status).toBe(400);
    expect((await formUpload(formWith(Buffer.alloc(0)))).status).toBe(400);
    const json = await http(app.baseUrl, '/uploads/form', { method: 'POST', headers: A, json: { file: 'x' } });
    expect(json.status).toBe(415);
    expect(await stored()).toBe(before);
    // multipart is only for this route: elsewhere it is 415 as before.
    expect((await fetch(`${app.baseUrl}/jobs`, { method: 'POST', headers: A, body: formWith(clip) })).status).toBe(415);
  });

  it('deletes a finished upload with tus DELETE (termination)', async () => {
    const answer = await formUpload(formWith(clip));
    const { location } = (await answer.json()) as { location: string };
    const deleted = await fetch(app.baseUrl + location, { method: 'DELETE', headers: { ...A, 'tus-resumable': '1.0.0' } });
    expect(deleted.status).toBe(204);
    expect((await uploadOffset(app.baseUrl, location, A)).status).toBe(404);
  });

  it('a form upload the client abandons mid-body leaves no temporary file behind', async () => {
    const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('longhaul-form-upload-'));
    expect(leftovers()).toEqual([]);
    const boundary = 'x-boundary';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`;
    await new Promise<void>((resolve) => {
      const req = request(`${app.baseUrl}/uploads/form`, {
        method: 'POST',
        headers: { ...A, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + 100_000) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(head + 'x'.repeat(10_000), () => setTimeout(() => req.destroy(), 300));
    });
    await waitFor(() => leftovers().length === 0, { what: 'the abandoned form upload to be cleaned up', timeoutMs: 10_000 });
    expect((await http(app.baseUrl, '/health/live')).status).toBe(200);
  });

  it('needs a key that may submit', async () => {
    expect((await formUpload(formWith(clip), {})).status).toBe(401);
    expect((await formUpload(formWith(clip), as('readerA'))).status).toBe(403);
  });

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
    // The same without a Content-Length (chunked): an answer, not a reset the client would retry forever.
    const chunked = await fetch(app.baseUrl + location, {
      method: 'PATCH',
      headers: { ...A, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'upload-checksum': checksum('sha1', bytes) },
      body: new Blob([bytes]).stream(),
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
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

/** UPLOAD_RETENTION_SECONDS: finished uploads go after a while, on both stores; unfinished ones are left to tus's expiry. */
describe.each([
  ['the filesystem store', false],
  ['the S3 store', true],
])('finished-upload retention on %s', (_store, onS3) => {
  const target = uploadsApp(onS3, 'upload_retention');
  let app: AppProcess;
  const RETENTION_SECONDS = 6;

  beforeAll(async () => {
    app = await target.start({ API_KEYS, UPLOAD_RETENTION_SECONDS: String(RETENTION_SECONDS), RETENTION_INTERVAL_MS: '1000', VIDEO_JOB_ENABLED: 'false' });
  }, 120_000);

  afterAll(() => target.stop(), 60_000);

  const finishedUpload = async (headers: Record<string, string>) => {
    const form = new FormData();
    form.append('file', new Blob([randomBytes(1000)]), 'f.bin');
    const answer = await fetch(`${app.baseUrl}/uploads/form`, { method: 'POST', headers, body: form });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { location: string }).location;
  };
  const status = async (location: string, headers: Record<string, string>) => (await uploadOffset(app.baseUrl, location, headers)).status;

  it('deletes a finished upload once it is older than the retention, keeps younger and unfinished ones', async () => {
    const old = await finishedUpload(A);
    const unfinished = await createUpload(app.baseUrl, 5000, as('submitterB'));
    expect((await patchChunk(app.baseUrl, unfinished, 0, randomBytes(100), as('submitterB'))).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const young = await finishedUpload(as('submitterB'));

    const started = Date.now();
    await waitFor(async () => (await status(old, A)) === 404, { what: 'the old finished upload to be deleted', timeoutMs: 20_000, intervalMs: 100 });
    expect(Date.now() - started).toBeGreaterThanOrEqual((RETENTION_SECONDS - 2) * 1000 - 500);
    expect(await status(young, as('submitterB'))).toBe(200);
    expect(await status(unfinished, as('submitterB'))).toBe(200);
  });
});
