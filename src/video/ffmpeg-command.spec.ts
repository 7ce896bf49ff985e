import { planTranscode, progressFraction } from './ffmpeg-command.js';

describe('planTranscode', () => {
  const base = { input: '/w/input', outputDir: '/w/out', statsPeriodSeconds: 0.1 };

  it('encodes every rendition and the poster in one run, each to its own file', () => {
    const plan = planTranscode({ ...base, renditions: [{ height: 240, format: 'mp4' }, { height: 120, format: 'webm' }], poster: true });
    expect(plan.outputs.map((output) => [output.name, output.contentType, output.path])).toEqual([
      ['240p.mp4', 'video/mp4', '/w/out/240p.mp4'],
      ['120p.webm', 'video/webm', '/w/out/120p.webm'],
      ['poster.jpg', 'image/jpeg', '/w/out/poster.jpg'],
    ]);
    expect(plan.args.slice(0, 11)).toEqual(['-hide_banner', '-nostdin', '-v', 'error', '-y', '-progress', 'pipe:1', '-stats_period', '0.1', '-i', '/w/input']);
    expect(plan.args).toEqual(expect.arrayContaining(['scale=-2:240', 'libx264', 'scale=-2:120', 'libvpx-vp9']));
    // The poster: no audio, the first second at 4 frames per second, each overwriting the last.
    expect(plan.args.slice(plan.args.lastIndexOf('-map'))).toEqual(['-map', '0:v:0', '-t', '1', '-r', '4', '-update', '1', '-q:v', '3', '-an', '/w/out/poster.jpg']);
  });

  it('maps the audio of each rendition only if the input has some, so it needs no probe first', () => {
    const plan = planTranscode({ ...base, renditions: [{ height: 240, format: 'webm' }], poster: false });
    expect(plan.args).toEqual(expect.arrayContaining(['0:a:0?', 'libopus']));
    expect(plan.args).not.toContain('-an');
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
