import { planTranscode, progressFraction } from './ffmpeg-command.js';

describe('planTranscode', () => {
  const base = { input: '/w/input', outputDir: '/w/out', durationSeconds: 3, statsPeriodSeconds: 0.1 };

  it('encodes every rendition and the poster in one run, each to its own file', () => {
    const plan = planTranscode({ ...base, renditions: [{ height: 240, format: 'mp4' }, { height: 120, format: 'webm' }], poster: true, hasAudio: false });
    expect(plan.outputs.map((output) => [output.name, output.contentType, output.path])).toEqual([
      ['240p.mp4', 'video/mp4', '/w/out/240p.mp4'],
      ['120p.webm', 'video/webm', '/w/out/120p.webm'],
      ['poster.jpg', 'image/jpeg', '/w/out/poster.jpg'],
    ]);
    expect(plan.args.slice(0, 11)).toEqual(['-hide_banner', '-nostdin', '-v', 'error', '-y', '-progress', 'pipe:1', '-stats_period', '0.1', '-i', '/w/input']);
    expect(plan.args).toEqual(expect.arrayContaining(['scale=-2:240', 'libx264', 'scale=-2:120', 'libvpx-vp9', '-an']));
    expect(plan.args.filter((arg) => arg === '0:a:0')).toEqual([]);
  });

  it('maps and encodes the audio when the input has some', () => {
    const plan = planTranscode({ ...base, renditions: [{ height: 240, format: 'webm' }], poster: false, hasAudio: true });
    expect(plan.args).toEqual(expect.arrayContaining(['0:a:0', 'libopus']));
    expect(plan.outputs).toHaveLength(1);
  });
});

describe('progressFraction', () => {
  it('is the time processed over the duration, capped at 1', () => {
    expect(progressFraction('out_time_us=1500000', 3)).toBeCloseTo(0.5);
    expect(progressFraction('out_time_ms=6000000', 3)).toBe(1);
    expect(progressFraction('progress=end', 3)).toBe(1);
  });

  it('ignores the other lines and unknown durations', () => {
    expect(progressFraction('out_time_us=N/A', 3)).toBeNull();
    expect(progressFraction('frame=12', 3)).toBeNull();
    expect(progressFraction('out_time_us=1000000', 0)).toBeNull();
  });
});
