import { parseProbe } from './ffprobe.js';

describe('parseProbe', () => {
  it('reads duration, size, bitrate and the first video and audio streams', () => {
    const json = JSON.stringify({
      format: { duration: '3.000000', size: '17212', bit_rate: '45898' },
      streams: [
        { codec_type: 'video', codec_name: 'h264', width: 320, height: 240 },
        { codec_type: 'audio', codec_name: 'aac' },
      ],
    });
    expect(parseProbe(json)).toEqual({
      durationSeconds: 3,
      sizeBytes: 17212,
      bitrate: 45898,
      video: { codec: 'h264', width: 320, height: 240 },
      audio: { codec: 'aac' },
    });
  });

  it('has no video for audio-only files, and nothing for what is not media', () => {
    expect(parseProbe(JSON.stringify({ format: { duration: '1.0' }, streams: [{ codec_type: 'audio', codec_name: 'mp3' }] }))?.video).toBeNull();
    expect(parseProbe('{}')).toBeNull();
    expect(parseProbe('not json')).toBeNull();
  });
});
