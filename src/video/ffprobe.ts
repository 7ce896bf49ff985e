import { runProcess } from './child-process.js';

/** What ffprobe says about a file (only what the manifest and the progress need). */
export interface MediaInfo {
  durationSeconds: number;
  sizeBytes: number;
  bitrate: number | null;
  video: { codec: string; width: number; height: number } | null;
  audio: { codec: string } | null;
}

interface ProbeJson {
  format?: { duration?: string; size?: string; bit_rate?: string };
  streams?: Array<{ codec_type?: string; codec_name?: string; width?: number; height?: number; duration?: string }>;
}

const number = (text: string | undefined): number | null => {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) ? value : null;
};

/** Parses `ffprobe -print_format json -show_format -show_streams`; null when it is not media at all. */
export function parseProbe(json: string): MediaInfo | null {
  let parsed: ProbeJson;
  try {
    parsed = JSON.parse(json) as ProbeJson;
  } catch {
    return null;
  }
  if (!parsed.format) return null;
  const streams = parsed.streams ?? [];
  const video = streams.find((stream) => stream.codec_type === 'video' && stream.width && stream.height);
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  return {
    durationSeconds: number(parsed.format.duration) ?? number(video?.duration) ?? 0,
    sizeBytes: number(parsed.format.size) ?? 0,
    bitrate: number(parsed.format.bit_rate),
    video: video ? { codec: video.codec_name ?? 'unknown', width: video.width ?? 0, height: video.height ?? 0 } : null,
    audio: audio ? { codec: audio.codec_name ?? 'unknown' } : null,
  };
}

/** ffprobe on a file; null when ffprobe cannot read it. */
export async function probe(ffprobePath: string, file: string, signal: AbortSignal, killGraceMs: number): Promise<MediaInfo | null> {
  const outcome = await runProcess(ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { signal, killGraceMs });
  return outcome.code === 0 ? parseProbe(outcome.stdout) : null;
}
