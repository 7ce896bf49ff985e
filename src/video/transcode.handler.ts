import { Injectable, Logger } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { UploadFiles, type UploadedFile } from '../uploads/upload-files.port.js';
import { JobHandlerFor } from '../workers/job-handler.decorator.js';
import { PermanentJobError, jsonOutput, type JobContext, type JobHandler, type JobOutput } from '../workers/job-handler.js';
import { runProcess } from './child-process.js';
import { planTranscode, progressFraction, type PlannedOutput } from './ffmpeg-command.js';
import { probe, type MediaInfo } from './ffprobe.js';
import { jpegSize } from './jpeg-size.js';
import { TranscodePayloadDto } from './transcode-payload.dto.js';
import { buildManifest, type VideoManifest } from './video-manifest.js';
import { VideoManifestDto } from './video-manifest.dto.js';

/** How often ffmpeg reports (seconds): a few reports even for short clips. */
const STATS_PERIOD_SECONDS = 0.1;

/**
 * video.transcode: a finished upload of the job's tenant → renditions (and a poster) with ffmpeg.
 * Everything is written to a fresh directory of this attempt, then staged as the result's files: only
 * the attempt that completes the job publishes them, together with the manifest.
 */
@Injectable()
@JobHandlerFor({
  type: 'video.transcode',
  payload: TranscodePayloadDto,
  result: { json: VideoManifestDto },
  description: 'Transcodes a tus upload into mp4/webm renditions and a poster frame with ffmpeg',
})
export class TranscodeHandler implements JobHandler<TranscodePayloadDto> {
  private readonly logger = new Logger(TranscodeHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly uploads: UploadFiles,
  ) {}

  /** An upload id names an upload of the submitter's tenant, finished: anything else is 404 at submission. */
  async admit(payload: TranscodePayloadDto, { tenant }: { tenant: string }): Promise<void> {
    if (!(await this.uploads.find(tenant, payload.uploadId))) {
      throw new ProblemException(404, 'upload-not-found', 'Upload not found', `no finished upload ${payload.uploadId} in your tenant`);
    }
  }

  async handle(payload: TranscodePayloadDto, context: JobContext): Promise<JobOutput> {
    const upload = await this.uploads.find(context.tenant, payload.uploadId);
    if (!upload) throw new PermanentJobError(`upload ${payload.uploadId} not found or not finished`);
    const workDir = await mkdtemp(join(tmpdir(), `longhaul-video-${context.jobId}-${context.attempt}-`));
    try {
      const started = Date.now();
      const input = upload.localPath ?? (await this.copy(upload, join(workDir, 'input'), context));
      const fetched = Date.now();
      context.progress(0, 'encoding');
      const { source, outputs } = await this.probeAndEncode(payload, input, join(workDir, 'out'), context);
      const encoded = Date.now();
      const manifest = await this.publish(outputs, source, payload, context);
      this.logger.log({ msg: 'transcoded', jobId: context.jobId, attempt: context.attempt, outputs: outputs.length, fetchMs: fetched - started, probeAndEncodeMs: encoded - fetched, publishMs: Date.now() - encoded });
      return jsonOutput(manifest);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** An upload this node cannot read in place (S3) is copied next to the outputs first: ffmpeg seeks in it. */
  private async copy(upload: UploadedFile, path: string, context: JobContext): Promise<string> {
    await pipeline(await upload.read(), createWriteStream(path), { signal: context.signal });
    return path;
  }

  private probe(file: string, context: JobContext): Promise<MediaInfo | null> {
    return probe(this.config.video.ffprobePath, file, context.signal, this.config.video.killGraceMs);
  }

  /**
   * ffprobe and ffmpeg start together (each pays ~0.1 s of process start-up; the command needs nothing
   * from the probe): the probe gives the duration the progress is measured against and decides "not a
   * video", in which case ffmpeg is stopped. Resolves only once both processes have exited.
   */
  private async probeAndEncode(payload: TranscodePayloadDto, input: string, outputDir: string, context: JobContext): Promise<{ source: MediaInfo; outputs: PlannedOutput[] }> {
    await mkdir(outputDir);
    const plan = planTranscode({ input, outputDir, renditions: payload.renditions, poster: payload.poster ?? true, statsPeriodSeconds: STATS_PERIOD_SECONDS });
    const notAVideo = new AbortController();
    let durationSeconds = 0;
    const probing = this.probe(input, context).then(
      (source) => {
        if (source?.video && source.durationSeconds > 0) durationSeconds = source.durationSeconds;
        else notAVideo.abort(new PermanentJobError('not a video'));
        return source;
      },
      (error: unknown) => {
        notAVideo.abort(error); // ffprobe could not even run: no encode for an input nobody looked at
        throw error;
      },
    );
    const encoding = runProcess(this.config.video.ffmpegPath, plan.args, {
      signal: AbortSignal.any([context.signal, notAVideo.signal]),
      killGraceMs: this.config.video.killGraceMs,
      onLine: (line) => {
        const done = progressFraction(line, durationSeconds);
        // 100 % belongs to the completion; the encode tops out just below it.
        if (done !== null) context.progress(Math.min(99, done * 100), `encoding ${Math.floor(done * 100)}%`);
      },
    });
    const [probed, encoded] = await Promise.allSettled([probing, encoding]);
    if (probed.status === 'rejected') throw probed.reason;
    const source = probed.value;
    if (!source || durationSeconds === 0) {
      this.logger.warn({ msg: 'upload is not a video', jobId: context.jobId, uploadId: payload.uploadId });
      throw new PermanentJobError('not a video');
    }
    if (encoded.status === 'rejected') throw encoded.reason;
    if (encoded.value.code !== 0) throw new Error(`ffmpeg exited with ${encoded.value.code}: ${encoded.value.stderrTail.trim().slice(-500)}`);
    return { source, outputs: plan.outputs };
  }

  /**
   * Each rendition is probed (codec, size, duration as written) while the files are staged; the poster's
   * size is read from its JPEG header (ffmpeg auto-rotates, so it is not always the source's).
   */
  private async publish(outputs: PlannedOutput[], source: MediaInfo, payload: TranscodePayloadDto, context: JobContext): Promise<VideoManifest> {
    const settled = await Promise.allSettled(
      outputs.map(async (output) => {
        const [described, staged] = await Promise.allSettled([
          output.kind === 'poster' ? posterInfo(output.path) : this.probe(output.path, context),
          context.stageFile({ name: output.name, contentType: output.contentType, body: createReadStream(output.path) }),
        ]);
        if (described.status === 'rejected') throw described.reason;
        if (staged.status === 'rejected') throw staged.reason;
        if (!described.value) throw new Error(`ffmpeg wrote ${output.name}, but it cannot be read back`);
        return { output, info: described.value, sizeBytes: staged.value.sizeBytes };
      }),
    );
    // Every staging has ended before a failure is thrown, so the executor discards all that was staged.
    const described = settled.map((outcome) => {
      if (outcome.status === 'rejected') throw outcome.reason;
      return outcome.value;
    });
    return buildManifest(context.jobId, payload.uploadId, source, described);
  }
}

async function posterInfo(path: string): Promise<MediaInfo | null> {
  const size = jpegSize(await readFile(path));
  return size ? { durationSeconds: 0, sizeBytes: 0, bitrate: null, video: { codec: 'mjpeg', ...size }, audio: null } : null;
}
