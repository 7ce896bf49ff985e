import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import type { JobOutcomeWaiter } from '../progress/job-outcome-waiter.js';
import { JobStatus } from './domain/job-status.js';
import type { Job } from './job.js';
import type { JobsService } from './jobs.service.js';
import { SubmissionAnswers } from './submission-answers.js';

function reply() {
  const headers: Record<string, string> = {};
  const state = { status: 0, headers };
  const fake = {
    status(code: number) {
      state.status = code;
      return fake;
    },
    header(name: string, value: string) {
      headers[name] = value;
      return fake;
    },
  };
  return { reply: fake as unknown as FastifyReply, state };
}

const job = (status: JobStatus) => ({ id: 'j1', status }) as Job;

function answers(options: { cap: number; afterWait: JobStatus }) {
  const waits: number[] = [];
  const waiter = {
    untilFinished: (_id: string, timeoutMs: number) => {
      waits.push(timeoutMs);
      return Promise.resolve();
    },
  } as unknown as JobOutcomeWaiter;
  const jobs = { get: () => Promise.resolve(job(options.afterWait)) } as unknown as JobsService;
  return { subject: new SubmissionAnswers({ preferWaitMaxSeconds: options.cap } as AppConfig, jobs, waiter), waits };
}

describe('SubmissionAnswers', () => {
  it('answers 202 at once without a preference, saying nothing about preferences', async () => {
    const { subject, waits } = answers({ cap: 60, afterWait: JobStatus.COMPLETED });
    const { reply: r, state } = reply();
    const body = await subject.answer(r, job(JobStatus.QUEUED), '/jobs', { respondAsync: false, waitSeconds: null });
    expect(state).toEqual({ status: 202, headers: { Location: '/jobs/j1', 'Retry-After': '2' } });
    expect(body).toMatchObject({ status: 'QUEUED', resultUrl: null });
    expect(waits).toEqual([]);
  });

  it('waits up to the capped time, then answers 200 for a finished job', async () => {
    const { subject, waits } = answers({ cap: 5, afterWait: JobStatus.COMPLETED });
    const { reply: r, state } = reply();
    const body = await subject.answer(r, job(JobStatus.QUEUED), '/reports', { respondAsync: false, waitSeconds: 30 });
    expect(waits).toEqual([5000]);
    expect(state).toEqual({ status: 200, headers: { 'Preference-Applied': 'wait=5', 'Content-Location': '/reports/j1' } });
    expect(body).toMatchObject({ status: 'COMPLETED', resultUrl: '/reports/j1/result' });
  });

  it('answers 202 when the job is still going after the wait', async () => {
    const { subject } = answers({ cap: 60, afterWait: JobStatus.RUNNING });
    const { reply: r, state } = reply();
    await subject.answer(r, job(JobStatus.QUEUED), '/jobs', { respondAsync: true, waitSeconds: 2 });
    expect(state).toEqual({ status: 202, headers: { 'Preference-Applied': 'respond-async, wait=2', Location: '/jobs/j1', 'Retry-After': '2' } });
  });

  it('does not wait for a job that is already finished, nor when the setting is 0', async () => {
    const finished = answers({ cap: 60, afterWait: JobStatus.DEAD });
    const { reply: r1, state: s1 } = reply();
    await finished.subject.answer(r1, job(JobStatus.DEAD), '/jobs', { respondAsync: false, waitSeconds: 10 });
    expect(finished.waits).toEqual([]);
    expect(s1.status).toBe(200);

    const off = answers({ cap: 0, afterWait: JobStatus.COMPLETED });
    const { reply: r2, state: s2 } = reply();
    await off.subject.answer(r2, job(JobStatus.QUEUED), '/jobs', { respondAsync: false, waitSeconds: 10 });
    expect(off.waits).toEqual([]);
    expect(s2).toEqual({ status: 202, headers: { Location: '/jobs/j1', 'Retry-After': '2' } });
  });
});
