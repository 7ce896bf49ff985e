// npm run bench:video — transcode wall time through longhaul against the same ffmpeg command run alone.
//
//   One app process (dist/main.js, APP_ROLE=all, PostgreSQL schema of its own, local queue, results and
//   uploads under a temporary DATA_DIR). A test clip (ffmpeg's testsrc, BENCH_VIDEO_SECONDS long,
//   640x480, H.264) is uploaded once over tus. Each round then, back to back and alternating who goes
//   first: (a) the exact ffmpeg command the video.transcode handler runs (built by the same
//   dist/video/ffmpeg-command.js) on the same clip, alone; (b) a video.transcode job with the same
//   renditions, timed from POST /jobs with `Prefer: wait=60` until that answers 200 COMPLETED (so (b)
//   includes queueing, reading the upload, ffprobe, staging the files, the completion and the answer).
//   Printed: per-round times and the median efficiency = alone ÷ through longhaul (target ≥ 0.9, i.e.
//   longhaul adds at most ~11 % to the encode), its inverse, and the handler's phases from its log.
//
// Knobs (env): DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_VIDEO_SECONDS (20),
// BENCH_VIDEO_ROUNDS (7). Everything runs on 127.0.0.1.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { planTranscode } from '../dist/video/ffmpeg-command.js';
import { cpuSeconds } from './support/procfs.js';
import { dropSchema, freePort, startLonghaul, stopAllChildren } from './support/processes.js';
import { infraFromEnv, intEnv, logger, suitePrefix, tempDir, writeResult } from './support/run-context.js';
import { median, percentile } from './support/stats.js';

const run = promisify(execFile);
const log = logger('video');
const SECONDS = intEnv('BENCH_VIDEO_SECONDS', 20);
const ROUNDS = intEnv('BENCH_VIDEO_ROUNDS', 7);
const RENDITIONS = [
  { height: 480, format: 'mp4' },
  { height: 240, format: 'webm' },
];
const TARGET = 0.9;

async function ffmpegAlone(input, outputDir) {
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  const plan = planTranscode({ input, outputDir, renditions: RENDITIONS, poster: true, statsPeriodSeconds: 0.1 });
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', plan.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume(); // the handler reads the progress lines too
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
  });
  return performance.now() - started;
}

async function throughLonghaul(baseUrl, uploadId, appPid) {
  const cpuBefore = cpuSeconds(appPid);
  const started = performance.now();
  // Prefer: wait (RFC 7240) answers when the job has finished: the client pays nothing while it waits,
  // where polling would take CPU from the encode it is timing.
  const submitted = await fetch(`${baseUrl}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'wait=60' },
    body: JSON.stringify({ type: 'video.transcode', payload: { uploadId, renditions: RENDITIONS, poster: true } }),
  });
  const answer = await submitted.json();
  const wall = performance.now() - started;
  const appCpuMs = Math.round((cpuSeconds(appPid) - cpuBefore) * 1000);
  if (submitted.status !== 200 || answer.status !== 'COMPLETED') throw new Error(`submission answered ${submitted.status}: ${JSON.stringify(answer)}`);
  const job = await (await fetch(`${baseUrl}/jobs/${answer.jobId}`, { redirect: 'manual' })).json();
  const at = (field) => Date.parse(job[field]);
  log(`  job ${answer.jobId}: queued ${at('startedAt') - at('createdAt')} ms, running ${at('finishedAt') - at('startedAt')} ms; the app process's own CPU meanwhile ${appCpuMs} ms (ffmpeg's not included)`);
  return wall;
}

async function upload(baseUrl, bytes) {
  const created = await fetch(`${baseUrl}/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length) } });
  const location = created.headers.get('location');
  if (created.status !== 201 || !location) throw new Error(`tus create answered ${created.status}`);
  const patched = await fetch(baseUrl + location, {
    method: 'PATCH',
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: bytes,
  });
  if (patched.status !== 204) throw new Error(`tus PATCH answered ${patched.status}`);
  return location.split('/').pop();
}

async function main() {
  const { databaseUrl } = infraFromEnv();
  const prefix = suitePrefix('video');
  const schema = prefix;
  const dir = tempDir(prefix);
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  try {
    const clip = join(dir, 'clip.mp4');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=duration=${SECONDS}:size=640x480:rate=25`, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', clip]);
    const port = await freePort();
    const app = await startLonghaul(
      { PORT: String(port), DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1' },
      'longhaul',
    );
    const uploadId = await upload(app.baseUrl, readFileSync(clip));
    log(`clip ${SECONDS} s 640x480 → ${RENDITIONS.map((r) => `${r.height}p.${r.format}`).join(', ')} + poster; ${ROUNDS} rounds`);
    await throughLonghaul(app.baseUrl, uploadId, app.pid); // warm-up: first job of the process
    const rounds = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const aloneFirst = round % 2 === 0;
      const timings = {};
      for (const side of aloneFirst ? ['alone', 'longhaul'] : ['longhaul', 'alone']) {
        timings[side] = side === 'alone' ? await ffmpegAlone(clip, join(dir, 'alone')) : await throughLonghaul(app.baseUrl, uploadId, app.pid);
      }
      rounds.push({ aloneMs: Math.round(timings.alone), longhaulMs: Math.round(timings.longhaul), efficiency: timings.alone / timings.longhaul });
      log(`round ${round + 1}: ffmpeg alone ${Math.round(timings.alone)} ms, through longhaul ${Math.round(timings.longhaul)} ms`);
    }
    for (const line of app.output().split('\n').filter((l) => l.includes('"transcoded"'))) {
      const { message } = JSON.parse(line);
      log(`  handler phases of ${message.jobId}: reading the upload ${message.fetchMs} ms, ffprobe + ffmpeg ${message.probeAndEncodeMs} ms, ffprobe renditions + staging ${message.publishMs} ms`);
    }
    const efficiency = median(rounds.map((r) => r.efficiency));
    const sorted = rounds.map((r) => r.efficiency).sort((a, b) => a - b);
    const spread = { p25: percentile(sorted, 25), p75: percentile(sorted, 75), min: sorted[0], max: sorted[sorted.length - 1] };
    const verdict = efficiency >= TARGET ? 'meets' : 'MISSES';
    console.log(
      `video.transcode: ffmpeg alone ÷ through longhaul = ${efficiency.toFixed(3)} (${verdict} the target ≥ ${TARGET}); ` +
        `through longhaul ÷ alone = ${(1 / efficiency).toFixed(3)}; median of ${ROUNDS} rounds ` +
        `(per-round ratios p25–p75 ${spread.p25.toFixed(3)}–${spread.p75.toFixed(3)}, min ${spread.min.toFixed(3)}, max ${spread.max.toFixed(3)})`,
    );
    writeResult({ bench: 'video', seconds: SECONDS, renditions: RENDITIONS, rounds, efficiency, spread, target: TARGET });
  } finally {
    await stopAllChildren();
    await dropSchema(databaseUrl, schema).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
