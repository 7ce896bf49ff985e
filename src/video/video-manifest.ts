import type { PlannedOutput } from './ffmpeg-command.js';
import type { MediaInfo } from './ffprobe.js';
import type { VideoManifestDto } from './video-manifest.dto.js';

export type VideoManifest = VideoManifestDto;

export interface DescribedOutput {
  output: PlannedOutput;
  info: MediaInfo;
  sizeBytes: number;
}

/** The result of a video.transcode job: what ffprobe says about each output, with its download link. */
export function buildManifest(jobId: string, uploadId: string, source: MediaInfo, outputs: readonly DescribedOutput[]): VideoManifest {
  const url = (name: string) => `/jobs/${jobId}/result/files/${name}`;
  const renditions = outputs
    .filter(({ output }) => output.kind === 'rendition')
    .map(({ output, info, sizeBytes }) => ({
      name: output.name,
      format: output.format,
      codec: info.video?.codec ?? 'unknown',
      width: info.video?.width ?? 0,
      height: info.video?.height ?? 0,
      sizeBytes,
      durationSeconds: info.durationSeconds,
      bitrate: info.bitrate ?? (info.durationSeconds > 0 ? Math.round((sizeBytes * 8) / info.durationSeconds) : null),
      url: url(output.name),
    }));
  const poster = outputs.find(({ output }) => output.kind === 'poster');
  return {
    uploadId,
    source: {
      codec: source.video?.codec ?? 'unknown',
      width: source.video?.width ?? 0,
      height: source.video?.height ?? 0,
      durationSeconds: source.durationSeconds,
      sizeBytes: source.sizeBytes,
    },
    renditions,
    poster: poster
      ? { name: poster.output.name, width: poster.info.video?.width ?? 0, height: poster.info.video?.height ?? 0, sizeBytes: poster.sizeBytes, url: url(poster.output.name) }
      : null,
  };
}
