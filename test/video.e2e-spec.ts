import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { distributedEnv, kafkaNames, keepLogs, uniqueName } from './support/kafka.js';
import { emptyPrefix, keysUnder, s3Env, testS3Client } from './support/s3.js';
import { API_KEYS, KEYS, as } from './support/security.js';
import { SseStream } from './support/sse-client.js';
import { createUpload, patchChunk, uploadOffset, uploadWithResume } from './support/tus.js';
import { waitFor } from './support/wait-for.js';

const run = promisify(execFile);
/** Long enough for ffmpeg to report progress many times and to be cancelled mid-encode; still a few dozen KiB. */
const LONG_SECONDS = 12;

/** A test clip from ffmpeg's test source: `seconds` long, 320x240 at 25 fps, H.264. */
async function testClip(dir: string, seconds: number): Promise<Buffer> {
  const file = join(dir, `clip-${seconds}s.mp4`);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=320x240:rate=25`, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', file]);
  return readFileSync(file);
}

async function ffprobe(file: string): Promise<{ codec: string; width: number; height: number; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const parsed = JSON.parse(stdout) as { format: { duration: string }; streams: Array<{ codec_type: string; codec_name: string; width: number; height: number }> };
  const video = parsed.streams.find((stream) => stream.codec_type === 'video')!;
  return { codec: video.codec_name, width: video.width, height: video.height, duration: Number(parsed.format.duration) };
}

/** Processes whose command line carries the marker (the job id is in ffmpeg's work directory). */
async function processesWith(marker: string): Promise<string[]> {
  const found = await run('pgrep', ['-f', marker]).catch((error: { code?: number; stdout?: string }) => {
    if (error.code === 1) return { stdout: '' };
    throw error;
  });
  return found.stdout.split('\n').filter(Boolean);
}

/** An API process and a worker process (Kafka, PostgreSQL, Redis), uploads and results in S3Mock, two tenants. */
describe('video uploads (tus) and video.transcode', () => {
  const prefix = `${uniqueName()}/`;
  const s3 = testS3Client();
  const workDir = mkdtempSync(join(tmpdir(), 'longhaul-video-e2e-'));
  const A = as('submitterA');
  const B = as('submitterB');
  let schema: TestSchema;
  let env: Record<string, string>;
  let api: AppProcess;
  let worker: AppProcess;
  let shortClip: Buffer;
  let longClip: Buffer;

  const submit = async (payload: unknown, headers = A) => {
    const answer = await http(api.baseUrl, '/jobs', { method: 'POST', json: { type: 'video.transcode', payload, maxAttempts: 3 }, headers });
    if (answer.status !== 202) throw new Error(`submission answered ${answer.status}: ${answer.text}`);
    return answer.body.jobId as string;
  };
  const job = async (jobId: string, headers = A) => (await http(api.baseUrl, `/jobs/${jobId}`, { headers })).body;
  const uploadId = (location: string) => location.split('/').pop()!;

  beforeAll(async () => {
    schema = await createTestSchema('video');
    env = distributedEnv(kafkaNames(), schema, {
      ...s3Env(prefix),
      API_KEYS,
      RESULT_DELIVERY: 'redirect',
      PROGRESS_LIVE_INTERVAL_MS: '50',
      // A SIGKILLed worker's job is retried once its lease has run out.
      JOB_LEASE_MS: '3000',
    });
    [api, worker, shortClip, longClip] = await Promise.all([
      startApp({ ...env, APP_ROLE: 'api' }),
      startApp({ ...env, APP_ROLE: 'worker' }),
      testClip(workDir, 3),
      testClip(workDir, LONG_SECONDS),
    ]);
  }, 120_000);

  afterAll(async () => {
    keepLogs(`video-${prefix.slice(0, -1)}`, { api, worker });
    await Promise.allSettled([api?.stop(), worker?.stop()]);
    await emptyPrefix(s3, prefix);
    s3.destroy();
    await schema?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it('resumes an upload after a dropped PATCH and transcodes it: progress climbs, outputs probe right, links lead to S3', async () => {
    const { location, resumedFrom } = await uploadWithResume(api.baseUrl, longClip, 4, A);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(await uploadOffset(api.baseUrl, location, A)).toEqual({ status: 200, offset: longClip.length });

    const jobId = await submit({ uploadId: uploadId(location), renditions: [{ height: 240, format: 'mp4' }, { height: 120, format: 'webm' }], poster: true });
    const stream = await SseStream.open(`${api.baseUrl}/jobs/${jobId}/progress?access_token=${KEYS.submitterA}`);
    await waitForStatus(api.baseUrl, jobId, ['COMPLETED'], 60_000, A);
    await stream.waitForEnd(30_000);
    stream.close();

    const percents = stream.events.filter((event) => event.event === 'progress').map((event) => event.data.percent ?? 0);
    expect(percents.length).toBeGreaterThanOrEqual(5);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));

    const manifest = (await http(api.baseUrl, `/jobs/${jobId}/result`, { headers: A })).body;
    expect(manifest.source).toMatchObject({ codec: 'h264', width: 320, height: 240 });
    expect(manifest.renditions.map((r: { name: string; codec: string; width: number; height: number }) => [r.name, r.codec, r.width, r.height])).toEqual([
      ['240p.mp4', 'h264', 320, 240],
      ['120p.webm', 'vp9', 160, 120],
    ]);
    expect(manifest.poster).toMatchObject({ name: 'poster.jpg', width: 320, height: 240 });

    const expected: Record<string, { codec: string; width: number; height: number }> = {
      '240p.mp4': { codec: 'h264', width: 320, height: 240 },
      '120p.webm': { codec: 'vp9', width: 160, height: 120 },
      'poster.jpg': { codec: 'mjpeg', width: 320, height: 240 },
    };
    for (const [name, shape] of Object.entries(expected)) {
      const entry = name === 'poster.jpg' ? manifest.poster : manifest.renditions.find((r: { name: string }) => r.name === name);
      const link = await http(api.baseUrl, entry.url, { headers: A });
      expect(link.status).toBe(303);
      const location = link.headers.get('location')!;
      expect(location).toContain('X-Amz-Signature');
      const download = await fetch(location);
      expect(download.status).toBe(200);
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(bytes.length).toBe(entry.sizeBytes);
      const file = join(workDir, `${jobId}-${name}`);
      writeFileSync(file, bytes);
      const probed = await ffprobe(file);
      expect(probed).toMatchObject(shape);
      if (name !== 'poster.jpg') {
        expect(Math.abs(probed.duration - LONG_SECONDS)).toBeLessThanOrEqual(0.1);
        expect(Math.abs(entry.durationSeconds - LONG_SECONDS)).toBeLessThanOrEqual(0.1);
        expect(entry.bitrate).toBeGreaterThan(0);
      }
    }
    expect((await http(api.baseUrl, `/jobs/${jobId}/result/files/nothing.mp4`, { headers: A })).status).toBe(404);
  }, 120_000);

  it('cancelling mid-encode stops ffmpeg and publishes nothing', async () => {
    const location = await createUpload(api.baseUrl, longClip.length, A);
    expect((await patchChunk(api.baseUrl, location, 0, longClip, A)).status).toBe(204);
    const jobId = await submit({ uploadId: uploadId(location), renditions: [{ height: 240, format: 'webm' }, { height: 240, format: 'mp4' }] });

    await waitFor(async () => (await processesWith(`longhaul-video-${jobId}`)).length > 0 && (await job(jobId)).progress.percent > 0, {
      timeoutMs: 60_000,
      what: 'ffmpeg to be encoding',
    });
    const cancelled = await http(api.baseUrl, `/jobs/${jobId}/cancel`, { method: 'POST', headers: A });
    expect(cancelled.status).toBe(200);

    await waitFor(async () => (await processesWith(`longhaul-video-${jobId}`)).length === 0, { timeoutMs: 10_000, what: 'ffmpeg to be gone' });
    expect((await job(jobId)).status).toBe('CANCELLED');
    expect((await http(api.baseUrl, `/jobs/${jobId}/result/files/240p.mp4`, { headers: A })).status).toBe(409);
  }, 120_000);

  it('a worker SIGKILLed mid-encode: the job is retried from scratch and has exactly one result, the retry’s', async () => {
    const location = await createUpload(api.baseUrl, longClip.length, A);
    expect((await patchChunk(api.baseUrl, location, 0, longClip, A)).status).toBe(204);
    const jobId = await submit({ uploadId: uploadId(location), renditions: [{ height: 240, format: 'webm' }, { height: 240, format: 'mp4' }], poster: false });
    const firstAttempt = `longhaul-video-${jobId}-1-`;
    await waitFor(async () => (await processesWith(firstAttempt)).length > 0 && (await job(jobId)).progress.percent > 0, {
      timeoutMs: 60_000,
      what: 'the first attempt to be encoding',
    });

    await worker.kill();
    // Its ffmpeg is orphaned (it only writes its own directory); stop it so the retry has the CPU.
    for (const pid of await processesWith(firstAttempt)) process.kill(Number(pid), 'SIGKILL');
    worker = await startApp({ ...env, APP_ROLE: 'worker' });

    await waitForStatus(api.baseUrl, jobId, ['COMPLETED'], 90_000, A);
    const done = await job(jobId);
    expect(done).toMatchObject({ attempts: 2, interruptions: 1 });
    const manifest = (await http(api.baseUrl, `/jobs/${jobId}/result`, { headers: A })).body;
    expect(manifest.renditions.map((r: { name: string }) => r.name)).toEqual(['240p.webm', '240p.mp4']);
    const [row] = await schema.query<{ result_ref: { files: Record<string, { attempt: number; location: string }> } }>(`SELECT result_ref FROM jobs WHERE id = $1`, [jobId]);
    expect(Object.values(row.result_ref.files).map((file) => file.attempt)).toEqual([2, 2]);
    expect(await keysUnder(s3, `${prefix}${jobId}/`)).toEqual([`${prefix}${jobId}/2-240p.mp4`, `${prefix}${jobId}/2-240p.webm`]);
  }, 180_000);

  it('a corrupt upload is DEAD "not a video" after one attempt', async () => {
    const garbage = randomBytes(50_000);
    const location = await createUpload(api.baseUrl, garbage.length, A);
    expect((await patchChunk(api.baseUrl, location, 0, garbage, A)).status).toBe(204);
    const jobId = await submit({ uploadId: uploadId(location), renditions: [{ height: 120, format: 'mp4' }] });

    await waitForStatus(api.baseUrl, jobId, ['DEAD'], 60_000, A);
    const dead = await job(jobId);
    expect(dead.attempts).toBe(1);
    expect(dead.error).toMatchObject({ message: 'not a video', code: 'PERMANENT', attempt: 1 });
  }, 120_000);

  it('an upload id of another tenant (or an unfinished one) is 404 over tus and when a job names it', async () => {
    const location = await createUpload(api.baseUrl, shortClip.length, A);
    expect((await patchChunk(api.baseUrl, location, 0, shortClip.subarray(0, 1000), A)).status).toBe(204);

    expect((await uploadOffset(api.baseUrl, location, B)).status).toBe(404);
    expect((await patchChunk(api.baseUrl, location, 1000, shortClip.subarray(1000), B)).status).toBe(404);
    expect(await uploadOffset(api.baseUrl, location, A)).toEqual({ status: 200, offset: 1000 });

    const payload = { uploadId: uploadId(location), renditions: [{ height: 120, format: 'mp4' }] };
    const unfinished = await http(api.baseUrl, '/jobs', { method: 'POST', json: { type: 'video.transcode', payload }, headers: A });
    expect(unfinished.status).toBe(404);
    expect((await patchChunk(api.baseUrl, location, 1000, shortClip.subarray(1000), A)).status).toBe(204);
    const foreign = await http(api.baseUrl, '/jobs', { method: 'POST', json: { type: 'video.transcode', payload }, headers: B });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ type: expect.stringContaining('upload-not-found') });
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    const count = await http(api.baseUrl, '/jobs?type=video.transcode&limit=200', { headers: B });
    expect((count.body as { items: Array<{ payload: { uploadId?: string } }> }).items.filter((item) => item.payload.uploadId === payload.uploadId)).toEqual([]);
    // Its own tenant may use it.
    const own = await submit(payload, A);
    await waitForStatus(api.baseUrl, own, ['COMPLETED'], 60_000, A);
  }, 120_000);

  it('refuses uploads over UPLOAD_MAX_BYTES and callers without a key', async () => {
    const tooLarge = await fetch(`${api.baseUrl}/uploads`, { method: 'POST', headers: { ...A, 'tus-resumable': '1.0.0', 'upload-length': String(3 * 1024 ** 3) } });
    expect(tooLarge.status).toBe(413);
    const anonymous = await fetch(`${api.baseUrl}/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } });
    expect(anonymous.status).toBe(401);
  });
});
