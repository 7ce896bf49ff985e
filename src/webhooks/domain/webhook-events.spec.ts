import { eventForStatus, jobEventPayload, messageIdFor, randomMessageId, testEventPayload, WEBHOOK_EVENT_TYPES } from './webhook-events.js';

const JOB = '3f2b1a9c-7d4e-4c1b-9a55-0d7f3f1e2a10';

describe('webhook events', () => {
  it.each([
    ['COMPLETED', 'job.complete'],
    ['FAILED', 'job.failed'],
    ['DEAD', 'job.dead'],
    ['CANCELLED', 'job.cancelled'],
    ['PENDING', null],
    ['QUEUED', null],
    ['RUNNING', null],
    ['SOMETHING', null],
  ])('%s → %s', (status, event) => {
    expect(eventForStatus(status)).toBe(event);
  });

  it('every event type is produced by some status', () => {
    const produced = ['COMPLETED', 'FAILED', 'DEAD', 'CANCELLED'].map(eventForStatus);
    expect([...produced].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it('message ids are stable per (job, event, attempt) and distinct otherwise', () => {
    const id = messageIdFor(JOB, 'job.failed', 1);
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
    expect(messageIdFor(JOB, 'job.failed', 1)).toBe(id);
    expect(messageIdFor(JOB, 'job.failed', 2)).not.toBe(id);
    expect(messageIdFor(JOB, 'job.dead', 1)).not.toBe(id);
    expect(messageIdFor('00000000-0000-4000-8000-000000000000', 'job.failed', 1)).not.toBe(id);
  });

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
