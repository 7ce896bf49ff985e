import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { blobChunks } from '../src/diagnostics/blob-bytes.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { keepLogs, uniqueName } from './support/kafka.js';
import { peakRssDuring, type RssReading } from './support/memory.js';
import { S3MOCK_ENDPOINT, TEST_BUCKET, emptyPrefix, s3Env, testS3Client } from './support/s3.js';

const MiB = 1024 * 1024;
/**
 * Large enough to tell a stream from a buffer: V8 collects dropped buffers only once some 64 MiB of
 * them have piled up, so RSS grows by about 70-100 MiB whatever the size (measured up to 640 MiB);
 * a process holding the result would grow by at least its size.
 */
const LARGE = 256 * MiB;
const MAX_RSS_GROWTH = (LARGE * 5) / 8;

function digestOf(sizeBytes: number): string {
  const hash = createHash('sha256');
  for (const chunk of blobChunks(sizeBytes)) hash.update(chunk);
  return hash.digest('hex');
}

/** Downloads with a plain fetch, hashing as bytes arrive (nothing is kept). */
async function download(url: string) {
  const answer = await fetch(url);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of answer.body ?? []) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { status: answer.status, headers: answer.headers, bytes, sha256: hash.digest('hex'), url: answer.url };
}

/** An API process, a worker process and a second API process that redirects to S3, on one schema. */
describe('results in S3, end to end', () => {
  const prefix = `${uniqueName()}/`;
  const s3 = testS3Client();
  let schema: TestSchema;
  let api: AppProcess;
  let worker: AppProcess;
  let redirecting: AppProcess;

  const resultRef = async (jobId: string) =>
    (await schema.query<{ result_ref: Record<string, unknown> }>(`SELECT result_ref FROM jobs WHERE id = $1`, [jobId]))[0]?.result_ref;
  const runBlob = async (sizeBytes: number) => {
    const jobId = await submitted(api.baseUrl, { type: 'blob', payload: { sizeBytes } });
    await waitForStatus(api.baseUrl, jobId, ['COMPLETED'], 90_000);
    return jobId;
  };

  beforeAll(async () => {
    schema = await createTestSchema('s3_results');
    const env = { ...schema.env, ...s3Env(prefix), RESULT_STORE: 'auto' };
    [api, worker, redirecting] = await Promise.all([
      startApp({ ...env, APP_ROLE: 'api' }),
      startApp({ ...env, APP_ROLE: 'worker' }),
      startApp({ ...env, APP_ROLE: 'api', RESULT_DELIVERY: 'redirect', RESULT_PRESIGN_TTL_SECONDS: '120' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    keepLogs(`s3-results-${prefix.slice(0, -1)}`, { api, worker, redirecting });
    await Promise.allSettled([api?.stop(), worker?.stop(), redirecting?.stop()]);
    await emptyPrefix(s3, prefix);
    s3.destroy();
    await schema?.drop();
  }, 60_000);

  it('keeps small results in the database and puts large ones in S3 under the attempt’s key', async () => {
    const small = await submitted(api.baseUrl, { type: 'sleep', payload: { result: { ok: true } } });
    await waitForStatus(api.baseUrl, small, ['COMPLETED']);
    expect(await resultRef(small)).toMatchObject({ store: 'database' });

    const large = await runBlob(MiB);
    expect(await resultRef(large)).toEqual({
      store: 's3',
      contentType: 'application/octet-stream',
      sizeBytes: MiB,
      location: `${prefix}${large}/1`,
      attempt: 1,
    });
    const fetched = await download(`${api.baseUrl}/jobs/${large}/result`);
    expect({ status: fetched.status, bytes: fetched.bytes, sha256: fetched.sha256 }).toEqual({ status: 200, bytes: MiB, sha256: digestOf(MiB) });
  }, 120_000);

  it('streams a 256 MiB result through S3 and back with bounded memory in the worker and the API', async () => {
    await runBlob(2 * MiB); // warm-up: every code path of the upload and download has run once
    const produced = await peakRssDuring(worker.pid, () => runBlob(LARGE));
    const jobId = produced.value;

    const head = await s3.send(new HeadObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}${jobId}/1` }));
    expect({ length: head.ContentLength, type: head.ContentType }).toEqual({ length: LARGE, type: 'application/octet-stream' });

    const served = await peakRssDuring(api.pid, () => download(`${api.baseUrl}/jobs/${jobId}/result`));
    const fetched = served.value;
    expect({ status: fetched.status, length: fetched.headers.get('content-length'), type: fetched.headers.get('content-type') }).toEqual({
      status: 200,
      length: String(LARGE),
      type: 'application/octet-stream',
    });
    expect({ bytes: fetched.bytes, sha256: fetched.sha256 }).toEqual({ bytes: LARGE, sha256: digestOf(LARGE) });

    const figures = { resultBytes: LARGE, worker: mib(produced.rss), api: mib(served.rss) };
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/s3-results-memory.json', `${JSON.stringify(figures, null, 2)}\n`);
    expect(produced.rss.growthBytes).toBeLessThan(MAX_RSS_GROWTH);
    expect(served.rss.growthBytes).toBeLessThan(MAX_RSS_GROWTH);
  }, 180_000);

  it('RESULT_DELIVERY=redirect answers 303 to a presigned S3 URL that a plain client follows', async () => {
    const jobId = await runBlob(3 * MiB);

    const answer = await http(redirecting.baseUrl, `/jobs/${jobId}/result`);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const location = new URL(answer.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${S3MOCK_ENDPOINT}/${TEST_BUCKET}/${prefix}${jobId}/1`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    // From the job's URL: 303 to /result, 303 to S3, 200 from S3.
    const followed = await download(`${redirecting.baseUrl}/jobs/${jobId}`);
    expect({ status: followed.status, from: followed.url.startsWith(S3MOCK_ENDPOINT), bytes: followed.bytes, sha256: followed.sha256 }).toEqual({
      status: 200,
      from: true,
      bytes: 3 * MiB,
      sha256: digestOf(3 * MiB),
    });

    // A result kept in the database is still streamed by the API.
    const small = await submitted(api.baseUrl, { type: 'sleep', payload: { result: { small: true } } });
    await waitForStatus(api.baseUrl, small, ['COMPLETED']);
    const streamed = await http(redirecting.baseUrl, `/jobs/${small}/result`);
    expect({ status: streamed.status, body: streamed.body }).toEqual({ status: 200, body: { small: true } });
  }, 120_000);
});

function mib(reading: RssReading) {
  const round = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
  return { baselineMiB: round(reading.baselineBytes), peakMiB: round(reading.peakBytes), growthMiB: round(reading.growthBytes) };
}
