import { jobEventPayload, randomMessageId, testEventPayload } from './webhook-events.js';

const JOB = '3f2b1a9c-7d4e-4c1b-9a55-0d7f3f1e2a10';

describe('webhook events', () => {
  it('random message ids look the same and differ', () => {
    expect(randomMessageId()).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
    expect(randomMessageId()).not.toBe(randomMessageId());
  });

  it('builds the seed payload for a completed job, without an error', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(
      jobEventPayload('msg_x', 'job.complete', { jobId: JOB, status: 'COMPLETED', attempt: 1, at, resultUrl: `/jobs/${JOB}/result`, error: null }),
    ).toEqual({ id: 'msg_x', type: 'job.complete', createdAt: '2026-01-01T00:00:00.000Z', data: { jobId: JOB, status: 'COMPLETED', resultUrl: `/jobs/${JOB}/result` } });
  });

  it('adds the error to failed, dead and cancelled events', () => {
    const error = { message: 'boom', attempt: 2, at: '2026-01-01T00:00:00Z' };
    const payload = jobEventPayload('msg_y', 'job.dead', { jobId: JOB, status: 'DEAD', attempt: 2, at: new Date(), resultUrl: null, error });
    expect(payload.data).toEqual({ jobId: JOB, status: 'DEAD', resultUrl: null, error });
    const noError = jobEventPayload('msg_z', 'job.failed', { jobId: JOB, status: 'FAILED', attempt: 1, at: new Date(), resultUrl: null, error: null });
    expect(noError.data).not.toHaveProperty('error');
  });

  it('the test event keeps the payload shape', () => {
    expect(testEventPayload('msg_t', new Date('2026-01-01T00:00:00Z'))).toEqual({
      id: 'msg_t',
      type: 'webhook.test',
      createdAt: '2026-01-01T00:00:00.000Z',
      data: { jobId: null, status: null, resultUrl: null },
    });
  });
});
