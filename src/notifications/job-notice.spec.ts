import { jobAddressesFor, messageIdFor, noticeEventFor, NOTIFIED_EVENTS } from './job-notice.js';

const JOB = '3f2b1a9c-7d4e-4c1b-9a55-0d7f3f1e2a10';

describe('job notices', () => {
  it.each([
    ['COMPLETED', 'job.complete'],
    ['FAILED', 'job.failed'],
    ['DEAD', 'job.dead'],
    ['CANCELLED', 'job.cancelled'],
    ['EXPIRED', 'job.expired'],
    ['PENDING', null],
    ['QUEUED', null],
    ['RUNNING', null],
    ['SOMETHING', null],
  ])('%s → %s', (status, event) => {
    expect(noticeEventFor(status)).toBe(event);
  });

  it('every event type is produced by some status', () => {
    const produced = ['COMPLETED', 'FAILED', 'DEAD', 'CANCELLED', 'EXPIRED'].map(noticeEventFor);
    expect([...produced].sort()).toEqual([...NOTIFIED_EVENTS].sort());
  });

  it('message ids are stable per (job, event, attempt) and distinct otherwise', () => {
    const id = messageIdFor(JOB, 'job.failed', 1);
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
    expect(messageIdFor(JOB, 'job.failed', 1)).toBe(id);
    expect(messageIdFor(JOB, 'job.failed', 2)).not.toBe(id);
    expect(messageIdFor(JOB, 'job.dead', 1)).not.toBe(id);
    expect(messageIdFor('00000000-0000-4000-8000-000000000000', 'job.failed', 1)).not.toBe(id);
  });

  it("a job's notify addresses get job.complete and job.dead unless it names its events", () => {
    const email = ['ops@example.test'];
    expect(jobAddressesFor({ event: 'job.complete', notify: { email } })).toEqual(email);
    expect(jobAddressesFor({ event: 'job.failed', notify: { email } })).toEqual([]);
    expect(jobAddressesFor({ event: 'job.failed', notify: { email, events: ['job.failed'] } })).toEqual(email);
    expect(jobAddressesFor({ event: 'job.dead', notify: { email, events: ['job.failed'] } })).toEqual([]);
    expect(jobAddressesFor({ event: 'job.dead', notify: null })).toEqual([]);
  });
});
