import { renderJobEmail } from './email-template.js';
import { maskAddress } from './mask-address.js';
import { decideSmtp } from './smtp-retry-decision.js';

const LIMITS = { backoffMs: [100, 200], jitter: 0, maxAttempts: 3 };

describe('SMTP retry decision', () => {
  it('delivers when the server accepted', () => {
    expect(decideSmtp({ kind: 'accepted' }, 1, LIMITS)).toEqual({ outcome: 'delivered' });
  });

  it('retries an unreachable server and a 4xx reply on the webhook schedule, then gives up', () => {
    expect(decideSmtp({ kind: 'unreachable', message: 'connect ECONNREFUSED' }, 1, LIMITS)).toEqual({ outcome: 'retry', delayMs: 100, reason: 'connect ECONNREFUSED' });
    expect(decideSmtp({ kind: 'rejected', code: 451, message: 'try later' }, 2, LIMITS)).toEqual({ outcome: 'retry', delayMs: 200, reason: 'SMTP 451: try later' });
    expect(decideSmtp({ kind: 'unreachable', message: 'timed out' }, 3, LIMITS)).toEqual({ outcome: 'failed', reason: 'timed out; gave up after 3 attempts' });
  });

  it('a 5xx reply or an invalid message is final', () => {
    expect(decideSmtp({ kind: 'rejected', code: 550, message: 'no such user' }, 1, LIMITS)).toEqual({ outcome: 'failed', reason: 'SMTP 550: no such user' });
    expect(decideSmtp({ kind: 'invalid', message: 'no recipients' }, 1, LIMITS)).toEqual({ outcome: 'failed', reason: 'no recipients' });
  });
});

describe('masked addresses', () => {
  it('keep the first character and the domain only', () => {
    expect(maskAddress('ops@example.test')).toBe('o***@example.test');
    expect(maskAddress('not-an-address')).toBe('***');
  });
});

describe('job email template', () => {
  const facts = {
    event: 'job.dead',
    jobId: '3f2b1a9c-7d4e-4c1b-9a55-0d7f3f1e2a10',
    jobType: 'sleep',
    status: 'DEAD',
    attempt: 3,
    at: new Date('2026-01-01T00:00:00Z'),
    jobUrl: 'http://127.0.0.1:3000/jobs/3f2b1a9c-7d4e-4c1b-9a55-0d7f3f1e2a10',
    resultUrl: null,
    error: { code: 'HANDLER_ERROR', message: 'boom <script>' },
  };

  it('puts link, status and error in the subject, text and HTML (escaped)', () => {
    const email = renderJobEmail(facts);
    expect(email.subject).toContain(facts.jobId);
    expect(email.subject).toContain('DEAD');
    expect(email.text).toContain(`Job: ${facts.jobUrl}`);
    expect(email.text).toContain('Status: DEAD');
    expect(email.text).toContain('Error: HANDLER_ERROR: boom <script>');
    expect(email.html).toContain(`<a href="${facts.jobUrl}">`);
    expect(email.html).toContain('boom &#60;script&#62;');
    expect(email.html).not.toContain('<script>');
  });

  it('leaves the error out when there is none', () => {
    const email = renderJobEmail({ ...facts, event: 'job.complete', status: 'COMPLETED', error: null, resultUrl: `${facts.jobUrl}/result` });
    expect(email.text).not.toContain('Error:');
    expect(email.text).toContain(`Result: ${facts.jobUrl}/result`);
  });
});
