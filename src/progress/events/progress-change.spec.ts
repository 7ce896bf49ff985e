import { JobStatus } from '../../jobs/domain/job-status.js';
import {
  decodeChange,
  encodeProgressChange,
  encodeStatusChange,
  RESYNC_NOTICE,
} from './progress-change.js';

describe('progress channel messages', () => {
  const snapshot = {
    jobId: 'j1',
    attempt: 2,
    percent: 40,
    message: 'step 2/5',
    updatedAt: '2026-11-29T12:00:00.000Z',
    version: 1_795_950_000_000,
  };

  it('decodes what the app publishes', () => {
    expect(decodeChange(encodeProgressChange(snapshot))).toEqual({ kind: 'progress', snapshot });
    expect(decodeChange(encodeProgressChange({ ...snapshot, message: null }))).toEqual({
      kind: 'progress',
      snapshot: { ...snapshot, message: null },
    });
    expect(
      decodeChange(encodeStatusChange('j1', JobStatus.RUNNING, JobStatus.COMPLETED, 1)),
    ).toEqual({ kind: 'status', jobId: 'j1', to: JobStatus.COMPLETED });
    expect(decodeChange(RESYNC_NOTICE)).toEqual({ kind: 'resync' });
  });

  it('decodes the write script’s message (updatedAt in epoch ms)', () => {
    const fromLua =
      '{"k":"p","jobId":"j1","attempt":1,"percent":100,"message":"done","updatedAt":1795950000000,"v":1795950000001}';
    expect(decodeChange(fromLua)).toEqual({
      kind: 'progress',
      snapshot: {
        jobId: 'j1',
        attempt: 1,
        percent: 100,
        message: 'done',
        updatedAt: new Date(1795950000000).toISOString(),
        version: 1795950000001,
      },
    });
  });

  it('drops anything malformed instead of throwing', () => {
    for (const raw of [
      '',
      'nope',
      'null',
      '42',
      '{}',
      '{"k":"p","jobId":"j"}',
      '{"k":"p","jobId":"j","attempt":"1","percent":1,"updatedAt":1,"v":1}',
      '{"k":"p","jobId":"j","attempt":1,"percent":1,"updatedAt":1,"v":1,"message":7}',
      '{"k":"s","jobId":1,"to":"X"}',
    ]) {
      expect(decodeChange(raw)).toBeNull();
    }
  });
});
