import { join } from 'node:path';
import type { VideoFormat } from './transcode-payload.dto.js';

export interface PlannedOutput {
  /** The result file name, e.g. `240p.mp4` or `poster.jpg`. */
  name: string;
  kind: 'rendition' | 'poster';
  format: VideoFormat | 'jpg';
  height: number | null;
  contentType: string;
  path: string;
}

export interface TranscodePlan {
  args: string[];
  outputs: PlannedOutput[];
}

const CODECS: Record<VideoFormat, { video: string[]; audio: string[]; contentType: string }> = {
  mp4: {
    video: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'],
    audio: ['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'],
    contentType: 'video/mp4',
  },
  webm: {
    video: ['-c:v', 'libvpx-vp9', '-crf', '33', '-b:v', '0', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1'],
    audio: ['-c:a', 'libopus', '-b:a', '96k'],
    contentType: 'video/webm',
  },
};

/**
 * One ffmpeg run for every output (the input is decoded once), reporting on stdout (`-progress pipe:1`)
 * every `statsPeriodSeconds`. The command needs nothing known about the input, so it can start before
 * ffprobe has answered: audio is mapped when there is some (`0:a:0?`), and the poster is the last of
 * the first second's frames taken at 4 per second (a frame about 1 s in, or the last of a shorter clip).
 */
export function planTranscode(options: {
  input: string;
  outputDir: string;
  renditions: ReadonlyArray<{ height: number; format: VideoFormat }>;
  poster: boolean;
  statsPeriodSeconds: number;
}): TranscodePlan {
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-progress', 'pipe:1', '-stats_period', String(options.statsPeriodSeconds), '-i', options.input];
  const outputs: PlannedOutput[] = [];
  for (const { height, format } of options.renditions) {
    const codec = CODECS[format];
    const name = `${height}p.${format}`;
    const path = join(options.outputDir, name);
    args.push('-map', '0:v:0', '-map', '0:a:0?', '-vf', `scale=-2:${height}`, ...codec.video, ...codec.audio, path);
    outputs.push({ name, kind: 'rendition', format, height, contentType: codec.contentType, path });
  }
  if (options.poster) {
    const path = join(options.outputDir, 'poster.jpg');
    args.push('-map', '0:v:0', '-t', '1', '-r', '4', '-update', '1', '-q:v', '3', '-an', path);
    outputs.push({ name: 'poster.jpg', kind: 'poster', format: 'jpg', height: null, contentType: 'image/jpeg', path });
  }
  return { args, outputs };
}

/**
 * Reads ffmpeg's `-progress` lines: `out_time_us=…` is how far into the input it got. Returns the
 * fraction done (0..1), or null for lines that say nothing about it.
 */
export function progressFraction(line: string, durationSeconds: number): number | null {
  const match = /^out_time_(?:us|ms)=(\d+)$/.exec(line.trim());
  if (match) return durationSeconds > 0 ? Math.min(1, Number(match[1]) / 1e6 / durationSeconds) : null;
  if (line.trim() === 'progress=end') return 1;
  return null;
}
