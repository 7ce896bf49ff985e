import type { AppConfig } from './app-config.js';
import type { EnvReader } from './env-readers.js';

const GiB = 1024 * 1024 * 1024;

export type VideoSettings = Pick<AppConfig, 'uploads' | 'video'>;

/** UPLOAD_* and VIDEO_*: resumable uploads (src/uploads) and the video.transcode job (src/video). */
export function readVideoSettings(read: EnvReader): VideoSettings {
  return {
    uploads: {
      maxBytes: read.int('UPLOAD_MAX_BYTES', 2 * GiB, 1, 1024 * GiB),
      expirySeconds: read.int('UPLOAD_EXPIRY_SECONDS', 86_400, 60, 31_536_000),
      retentionSeconds: read.int('UPLOAD_RETENTION_SECONDS', 0, 0, 315_360_000),
      maxFormBytes: read.int('UPLOAD_FORM_MAX_BYTES', 64 * 1024 * 1024, 1, 1024 * GiB),
      maxChecksummedChunkBytes: read.int('UPLOAD_CHECKSUM_MAX_CHUNK_BYTES', 32 * 1024 * 1024, 1024, GiB),
    },
    video: {
      enabled: read.bool('VIDEO_JOB_ENABLED', true),
      ffmpegPath: read.string('FFMPEG_PATH', 'ffmpeg'),
      ffprobePath: read.string('FFPROBE_PATH', 'ffprobe'),
      killGraceMs: read.int('VIDEO_KILL_GRACE_MS', 1000, 0, 60_000),
    },
  };
}
