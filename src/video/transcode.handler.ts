import { Injectable, Logger } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { UploadFiles } from '../uploads/upload-files.port.js';
import { JobHandlerFor } from '../workers/job-handler.decorator.js';
import { PermanentJobError, jsonOutput, type JobContext, type JobHandler, type JobOutput } from '../workers/job-handler.js';
import { runProcess } from './child-process.js';
import { planTranscode, progressFraction, type PlannedOutput } from './ffmpeg-command.js';
import { probe, type MediaInfo } from './ffprobe.js';
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
      const input = join(workDir, 'input');
      await pipeline(await upload.read(), createWriteStream(input), { signal: context.signal });
      const source = await this.probe(input, context);
      const probed = Date.now();
      if (!source?.video || source.durationSeconds <= 0) {
        this.logger.warn({ msg: 'upload is not a video', jobId: context.jobId, uploadId: payload.uploadId });
        throw new PermanentJobError('not a video');
      }
      context.progress(0, 'encoding');
      const outputs = await this.encode(payload, input, join(workDir, 'out'), source, context);
      const encoded = Date.now();
      const manifest = await this.publish(outputs, source, payload, context);
      this.logger.log({ msg: 'transcoded', jobId: context.jobId, attempt: context.attempt, outputs: outputs.length, fetchAndProbeMs: probed - started, encodeMs: encoded - probed, publishMs: Date.now() - encoded });
      return jsonOutput(manifest);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private probe(file: string, context: JobContext): Promise<MediaInfo | null> {
    return probe(this.config.video.ffprobePath, file, context.signal, this.config.video.killGraceMs);
  }

  private async encode(payload: TranscodePayloadDto, input: string, outputDir: string, source: MediaInfo, context: JobContext): Promise<PlannedOutput[]> {
    await mkdir(outputDir);
    const plan = planTranscode({
      input,
      outputDir,
      renditions: payload.renditions,
      poster: payload.poster ?? true,
      durationSeconds: source.durationSeconds,
      hasAudio: source.audio !== null,
      statsPeriodSeconds: STATS_PERIOD_SECONDS,
    });
    const outcome = await runProcess(this.config.video.ffmpegPath, plan.args, {
      signal: context.signal,
      killGraceMs: this.config.video.killGraceMs,
      onLine: (line) => {
        const done = progressFraction(line, source.durationSeconds);
        // 100 % belongs to the completion; the encode tops out just below it.
        if (done !== null) context.progress(Math.min(99, done * 100), `encoding ${Math.floor(done * 100)}%`);
      },
    });
    if (outcome.code !== 0) throw new Error(`ffmpeg exited with ${outcome.code}: ${outcome.stderrTail.trim().slice(-500)}`);
    return plan.outputs;
  }

  private async publish(outputs: PlannedOutput[], source: MediaInfo, payload: TranscodePayloadDto, context: JobContext): Promise<VideoManifest> {
    const infos = await Promise.all(outputs.map((output) => this.probe(output.path, context)));
    const described = [];
    for (const [index, output] of outputs.entries()) {
      const info = infos[index];
      if (!info) throw new Error(`ffmpeg wrote ${output.name}, but ffprobe cannot read it`);
      const ref = await context.stageFile({ name: output.name, contentType: output.contentType, body: createReadStream(output.path) });
      described.push({ output, info, sizeBytes: ref.sizeBytes });
    }
    return buildManifest(context.jobId, payload.uploadId, source, described);
  }
}
