import { JobStatus } from '../../jobs/domain/job-status.js';
import type { Job, JobTransition } from '../../jobs/job.js';
import type { ProgressSnapshot } from '../progress-tracker.port.js';
import { JobProgressFeed, type FeedOutput } from './job-progress-feed.js';
import type { StreamState } from './progress-events.js';

const S = JobStatus;
const at = new Date('2026-11-29T12:00:00Z');

function transition(id: number, from: JobStatus | null, to: JobStatus, attempt = 1): JobTransition {
  return { id: String(id), jobId: 'j1', from, to, attempt, reason: null, at };
}

function progress(version: number, percent: number): ProgressSnapshot {
  return { jobId: 'j1', attempt: 1, percent, message: null, updatedAt: at.toISOString(), version };
}

function state(transitions: JobTransition[], live: ProgressSnapshot): StreamState {
  const status = transitions.at(-1)!.to;
  const job = {
    id: 'j1',
    type: 'sleep',
    status,
    attempts: 1,
    maxAttempts: 3,
    progressPercent: live.percent,
    progressMessage: null,
    lastError: null,
    nextAttemptAt: null,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    finishedAt: null,
  } as unknown as Job;
  return { job, transitions, status, progress: live };
}

function recorder() {
  const events: Array<[string, string | null, { to?: string; percent?: number }]> = [];
  let finished = 0;
  const out: FeedOutput = {
    event: (name, id, data) =>
      events.push([name, id, JSON.parse(data) as { to?: string; percent?: number }]),
    frame: (text) => {
      const id = /^id: (.*)$/m.exec(text)?.[1] ?? null;
      events.push([
        /^event: (.*)$/m.exec(text)![1],
        id,
        JSON.parse(/^data: (.*)$/m.exec(text)![1]) as { percent?: number },
      ]);
    },
    finished: () => finished++,
  };
  return { out, events, finishedCount: () => finished };
}

const history = [transition(1, null, S.QUEUED), transition(2, S.QUEUED, S.RUNNING)];

describe('JobProgressFeed', () => {
  it('starts with a snapshot whose id is the last transition and progress version', () => {
    const feed = new JobProgressFeed('j1', true);
    const { out, events } = recorder();
    expect(feed.start(state(history, progress(100, 30)), null, out)).toBe('streaming');
    expect(events).toEqual([
      [
        'snapshot',
        '2-100',
        expect.objectContaining({
          status: 'RUNNING',
          progress: expect.objectContaining({ percent: 30 }),
        }),
      ],
    ]);
  });

  it('holds what arrives before start, then sends only what is newer than the snapshot, in order', () => {
    const feed = new JobProgressFeed('j1', true);
    feed.progress(progress(90, 20)); // older than the snapshot: dropped
    feed.progress(progress(150, 50));
    feed.transitions([...history, transition(3, S.RUNNING, S.COMPLETED)]);
    feed.progress(progress(160, 60)); // after the terminal event: dropped
    const { out, events, finishedCount } = recorder();
    expect(feed.start(state(history, progress(100, 30)), null, out)).toBe('finished');
    expect(events.map(([name, id]) => [name, id])).toEqual([
      ['snapshot', '2-100'],
      ['progress', '2-150'],
      ['status', '3-150'],
    ]);
    expect(finishedCount()).toBe(1);
  });

  it('resumes after a Last-Event-ID: missed transitions, then the current progress if newer', () => {
    const feed = new JobProgressFeed('j1', true);
    const { out, events } = recorder();
    const now = [
      transition(1, null, S.QUEUED),
      transition(2, S.QUEUED, S.RUNNING),
      transition(3, S.RUNNING, S.FAILED),
      transition(4, S.FAILED, S.QUEUED),
      transition(5, S.QUEUED, S.RUNNING, 2),
    ];
    expect(
      feed.start(state(now, progress(300, 10)), { transitionId: 2, progressVersion: 200 }, out),
    ).toBe('streaming');
    expect(events.map(([name, id, data]) => [name, id, data.to ?? data.percent])).toEqual([
      ['status', '3-200', 'FAILED'],
      ['status', '4-200', 'QUEUED'],
      ['status', '5-200', 'RUNNING'],
      ['progress', '5-300', 10],
    ]);
    feed.transitions(now); // a repeat delivery sends nothing
    feed.progress(progress(300, 10));
    expect(events).toHaveLength(4);
  });

  it('says there is nothing new when the client already has the terminal event', () => {
    const done = [...history, transition(3, S.RUNNING, S.COMPLETED)];
    const feed = new JobProgressFeed('j1', true);
    expect(
      feed.start(
        state(done, progress(100, 100)),
        { transitionId: 3, progressVersion: 100 },
        recorder().out,
      ),
    ).toBe('nothing-new');
  });

  it('writes no ids on multi-job streams', () => {
    const feed = new JobProgressFeed('j1', false);
    const { out, events } = recorder();
    feed.start(state(history, progress(100, 30)), null, out);
    feed.progress(progress(101, 31));
    expect(events.map(([, id]) => id)).toEqual([null, null]);
  });
});
