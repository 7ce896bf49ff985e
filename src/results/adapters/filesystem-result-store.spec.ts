import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { AppConfig } from '../../config/app-config.js';
import { FilesystemResultStore } from './filesystem-result-store.js';

describe('FilesystemResultStore', () => {
  let dataDir: string;
  let store: FilesystemResultStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'longhaul-results-'));
    store = new FilesystemResultStore({ dataDir } as AppConfig);
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes each attempt to its own file, so a stale attempt cannot touch the winner’s', async () => {
    const stale = await store.stage({ jobId: 'job-1', attempt: 1 }, { contentType: 'text/plain', body: Buffer.from('stale') });
    const winner = await store.stage({ jobId: 'job-1', attempt: 2 }, { contentType: 'text/plain', body: Buffer.from('winner') });
    expect(stale.ref).toMatchObject({ store: 'filesystem', location: 'job-1/1', attempt: 1, sizeBytes: 5 });
    expect(winner.ref).toMatchObject({ location: 'job-1/2', attempt: 2 });

    await stale.discard();
    expect(readdirSync(join(dataDir, 'results', 'job-1'))).toEqual(['2']);
    const opened = await store.open('job-1', winner.ref);
    expect(await text(opened!.stream)).toBe('winner');
  });

  it('answers null for a missing file and removes every attempt of a job', async () => {
    const staged = await store.stage({ jobId: 'job-2', attempt: 1 }, { contentType: 'application/json', body: Buffer.from('{}') });
    await store.remove('job-2');
    expect(existsSync(join(dataDir, 'results', 'job-2'))).toBe(false);
    expect(await store.open('job-2', staged.ref)).toBeNull();
  });

  it('keeps named files of an attempt beside its result, and refuses names that could escape', async () => {
    const file = await store.stage({ jobId: 'job-3', attempt: 2, name: '240p.mp4' }, { contentType: 'video/mp4', body: Buffer.from('mp4') });
    expect(file.ref).toMatchObject({ location: 'job-3/2-240p.mp4', contentType: 'video/mp4', sizeBytes: 3 });
    expect(await text((await store.open('job-3', file.ref))!.stream)).toBe('mp4');
    await expect(store.stage({ jobId: 'job-3', attempt: 2, name: '../x' }, { contentType: 'text/plain', body: Buffer.from('x') })).rejects.toThrow('not a valid result file name');
  });
});
