import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { freePort, startApp, type AppProcess } from './support/app-process.js';
import { GREENMAIL, messagesFor, waitForMessages, type ReceivedMessage } from './support/greenmail.js';
import { http, waitForStatus } from './support/http.js';
import { expectProblem } from './support/jobs.js';
import { API_KEYS, as, TENANT_A, TENANT_B } from './support/security.js';
import { waitFor } from './support/wait-for.js';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const PUBLIC_BASE_URL = 'https://longhaul.example.test';

const address = (label: string) => `${label}-${randomBytes(5).toString('hex')}@example.test`;

async function parsed(message: ReceivedMessage): Promise<ParsedMail> {
  return simpleParser(message.mimeMessage);
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
}

function appEnv(schema: string, smtpUrl: string): Record<string, string> {
  return {
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    API_KEYS,
    SMTP_URL: smtpUrl,
    EMAIL_FROM: 'longhaul <noreply@longhaul.test>',
    PUBLIC_BASE_URL,
    RETRY_BASE_DELAY_MS: '50',
  };
}

describe('email notifications (GreenMail)', () => {
  const schema = `email_e2e_${randomBytes(4).toString('hex')}`;
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp(appEnv(schema, GREENMAIL.smtpUrl));
  });

  afterAll(async () => {
    await app?.stop();
    await dropSchema(schema);
  });

  const submitJob = async (body: unknown, who: 'submitterA' | 'submitterB' = 'submitterA'): Promise<string> => {
    const answer = await http(app.baseUrl, '/jobs', { method: 'POST', json: body, headers: as(who) });
    expect(answer.status).toBe(202);
    return answer.body.jobId as string;
  };

  it('emails a job’s own addresses on job.complete: subject, text and HTML carry the link and status', async () => {
    const to = address('ops');
    const jobId = await submitJob({ type: 'sleep', payload: { ms: 0 }, notify: { email: [to], events: ['job.complete'] } });
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 30_000, as('submitterA'));

    const [message, ...more] = await waitForMessages(to, 1, 30_000);
    expect(more).toEqual([]);
    const mail = await parsed(message);
    const link = `${PUBLIC_BASE_URL}/jobs/${jobId}`;
    expect(mail.subject).toContain(jobId);
    expect(mail.subject).toContain('COMPLETED');
    expect(mail.from?.text).toContain('noreply@longhaul.test');
    expect(mail.text).toContain(`Job: ${link}`);
    expect(mail.text).toContain('Status: COMPLETED');
    expect(mail.text).toContain(`Result: ${link}/result`);
    expect(mail.text).not.toContain('Error:');
    expect(mail.html).toContain(`<a href="${link}">`);
    expect(mail.html).toContain('COMPLETED');

    // The delivery log shows it to the job's tenant, the address masked, and to no other tenant.
    const log = await waitFor(
      async () => {
        const answer = await http(app.baseUrl, `/notifications/email/deliveries?jobId=${jobId}`, { headers: as('submitterA') });
        return answer.body.items?.[0]?.status === 'delivered' ? answer.body : false;
      },
      { what: 'the delivered email in the log' },
    );
    expect(log.items).toEqual([
      expect.objectContaining({ jobId, event: 'job.complete', recipient: `o***@example.test`, status: 'delivered', attempts: 1, lastError: null }),
    ]);
    expect(JSON.stringify(log)).not.toContain(to);
    const other = await http(app.baseUrl, `/notifications/email/deliveries?jobId=${jobId}`, { headers: as('submitterB') });
    expect(other.body.items).toEqual([]);
    expect((await http(app.baseUrl, '/notifications/email/deliveries?status=bogus', { headers: as('submitterA') })).status).toBe(400);
  });

  it('emails job.dead with the job’s error, and only the events the job asked for', async () => {
    const to = address('dead');
    const jobId = await submitJob({ type: 'sleep', payload: { ms: 0, failAttempts: 5 }, maxAttempts: 2, notify: { email: [to], events: ['job.dead'] } });
    await waitForStatus(app.baseUrl, jobId, ['DEAD'], 30_000, as('submitterA'));

    const [message, ...more] = await waitForMessages(to, 1, 30_000);
    const mail = await parsed(message);
    expect(mail.subject).toContain('DEAD');
    expect(mail.text).toContain(`Job: ${PUBLIC_BASE_URL}/jobs/${jobId}`);
    expect(mail.text).toContain('Status: DEAD');
    expect(mail.text).toMatch(/Error: .*planned failure 2 of 5/);
    expect(mail.html).toContain('planned failure 2 of 5');
    // Two FAILED attempts happened before DEAD: the job asked for job.dead only.
    expect(more).toEqual([]);
  });

  it('tenant subscriptions receive their own tenant’s events only', async () => {
    const subscriberA = address('sub-a');
    const subscriberB = address('sub-b');
    const createdA = await http(app.baseUrl, '/notifications/email', { method: 'POST', json: { address: subscriberA, events: ['job.complete'] }, headers: as('submitterA') });
    expect(createdA.status).toBe(201);
    expect(createdA.body).toMatchObject({ id: expect.any(String), tenant: TENANT_A, address: subscriberA, events: ['job.complete'] });
    const createdB = await http(app.baseUrl, '/notifications/email', { method: 'POST', json: { address: subscriberB, events: ['job.complete'] }, headers: as('submitterB') });
    expect(createdB.status).toBe(201);

    const jobA = await submitJob({ type: 'sleep', payload: { ms: 0 } }, 'submitterA');
    const [mailA] = await waitForMessages(subscriberA, 1, 30_000);
    expect((await parsed(mailA)).text).toContain(`/jobs/${jobA}`);

    // B's subscriber hears about B's job — and, mail being relayed in order, nothing about A's before it.
    const jobB = await submitJob({ type: 'sleep', payload: { ms: 0 } }, 'submitterB');
    const [mailB, ...moreB] = await waitForMessages(subscriberB, 1, 30_000);
    expect((await parsed(mailB)).text).toContain(`/jobs/${jobB}`);
    expect(moreB).toEqual([]);
    expect(await messagesFor(subscriberA)).toHaveLength(1);

    const listA = await http(app.baseUrl, '/notifications/email', { headers: as('submitterA') });
    expect(listA.status).toBe(200);
    expect(listA.body.items.map((item: { address: string }) => item.address)).toEqual([subscriberA]);
    expect(listA.body.items.every((item: { tenant: string }) => item.tenant === TENANT_A)).toBe(true);

    const othersDelete = await http(app.baseUrl, `/notifications/email/${createdB.body.id}`, { method: 'DELETE', headers: as('submitterA') });
    expectProblem(othersDelete, 404, 'email-subscription-not-found');
    const ownDelete = await http(app.baseUrl, `/notifications/email/${createdA.body.id}`, { method: 'DELETE', headers: as('submitterA') });
    expect(ownDelete.status).toBe(204);
    const afterDelete = await http(app.baseUrl, '/notifications/email', { headers: as('submitterA') });
    expect(afterDelete.body.items).toEqual([]);
    expect(TENANT_B).not.toBe(TENANT_A);
  });

  it('a job’s address named by a subscription too gets one email per event', async () => {
    const to = address('both');
    const created = await http(app.baseUrl, '/notifications/email', { method: 'POST', json: { address: to, events: ['job.complete'] }, headers: as('submitterA') });
    expect(created.status).toBe(201);
    const jobId = await submitJob({ type: 'sleep', payload: { ms: 0 }, notify: { email: [to] } });
    const [message] = await waitForMessages(to, 1, 30_000);
    expect((await parsed(message)).text).toContain(`/jobs/${jobId}`);
    // A later job's email to the same address proves the first event's mail was not doubled meanwhile.
    const laterId = await submitJob({ type: 'sleep', payload: { ms: 0 } });
    const messages = await waitForMessages(to, 2, 30_000);
    const texts = await Promise.all(messages.map(async (item) => (await parsed(item)).text ?? ''));
    expect(texts.filter((text) => text.includes(`/jobs/${jobId}`))).toHaveLength(1);
    expect(texts.filter((text) => text.includes(`/jobs/${laterId}`))).toHaveLength(1);
    await http(app.baseUrl, `/notifications/email/${created.body.id}`, { method: 'DELETE', headers: as('submitterA') });
  });

  it.each([
    ['a subscription with an invalid address', '/notifications/email', { address: 'not-an-address', events: ['job.complete'] }, 'address'],
    ['a subscription with a display name', '/notifications/email', { address: 'Ops <ops@example.test>', events: ['job.complete'] }, 'address'],
    ['a subscription with an unknown event', '/notifications/email', { address: 'ops@example.test', events: ['job.exploded'] }, 'events'],
    ['a job with an invalid notify address', '/jobs', { type: 'sleep', payload: {}, notify: { email: ['ops@'] } }, 'notify.email'],
    ['a job with an empty notify list', '/jobs', { type: 'sleep', payload: {}, notify: { email: [] } }, 'notify.email'],
  ])('refuses %s with a 400 problem naming the field', async (_name, path, body, field) => {
    const answer = await http(app.baseUrl, path, { method: 'POST', json: body, headers: as('submitterA') });
    const problem = expectProblem(answer, 400, 'validation') as unknown as { errors: Array<{ field: string }> };
    expect(problem.errors.map((error) => error.field)).toContain(field);
  });

  it('an unknown subscription id is a 404 problem', async () => {
    expectProblem(await http(app.baseUrl, '/notifications/email/not-a-uuid', { method: 'DELETE', headers: as('submitterA') }), 404, 'email-subscription-not-found');
  });
});

describe('email delivery while the SMTP server is down', () => {
  const schema = `email_down_e2e_${randomBytes(4).toString('hex')}`;
  let app: AppProcess;
  let smtpPort: number;
  let server: SMTPServer | null = null;
  const received: Array<{ to: string[]; raw: string }> = [];
  let db: pg.Client;

  beforeAll(async () => {
    smtpPort = await freePort(); // nothing listens here until the test starts its own SMTP server
    app = await startApp({
      ...appEnv(schema, `smtp://127.0.0.1:${smtpPort}`),
      WEBHOOK_BACKOFF_MS: '300,600,1200',
      WEBHOOK_MAX_ATTEMPTS: '30',
      WEBHOOK_JITTER: '0',
      EMAIL_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'debug',
    });
    db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await app?.stop();
    await db?.end();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await dropSchema(schema);
  });

  it('retries on the webhook schedule and delivers once the server is up', async () => {
    const to = address('later');
    const submitted = await http(app.baseUrl, '/jobs', {
      method: 'POST',
      json: { type: 'sleep', payload: { ms: 0 }, notify: { email: [to], events: ['job.complete'] } },
      headers: as('submitterA'),
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.jobId as string;

    const attempts = () =>
      db.query<{ outcome: string; error: string | null }>(
        `SELECT a.outcome, a.error FROM "${schema}".email_delivery_attempts a JOIN "${schema}".email_deliveries d ON d.id = a.delivery_id
          WHERE d.job_id = $1 ORDER BY a.id`,
        [jobId],
      );
    const failed = await waitFor(async () => {
      const { rows } = await attempts();
      return rows.length >= 2 ? rows : false;
    }, { timeoutMs: 30_000, what: 'two failed SMTP attempts' });
    expect(failed.every((row) => row.outcome === 'retry')).toBe(true);
    expect(failed[0]?.error).toContain('ECONNREFUSED');

    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(smtpPort, '127.0.0.1', () => resolve());
    });

    const [message] = await waitFor(() => (received.length > 0 ? received : false), { timeoutMs: 30_000, what: 'the email after the SMTP server came up' });
    expect(message?.to).toEqual([to]);
    const mail = await simpleParser(message?.raw ?? '');
    expect(mail.subject).toContain(jobId);
    expect(mail.text).toContain(`Job: ${PUBLIC_BASE_URL}/jobs/${jobId}`);

    const delivered = await waitFor(async () => {
      const { rows } = await db.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM "${schema}".email_deliveries WHERE job_id = $1`, [jobId]);
      return rows[0]?.status === 'delivered' ? rows[0] : false;
    }, { timeoutMs: 10_000, what: 'the delivery row to be delivered' });
    expect(delivered.attempts).toBeGreaterThanOrEqual(3);
    const log = (await attempts()).rows.map((row) => row.outcome);
    expect(log[log.length - 1]).toBe('delivered');
    expect(log.slice(0, -1).every((outcome) => outcome === 'retry')).toBe(true);
    expect(received).toHaveLength(1);

    // Addresses are masked in every log line.
    expect(app.logs()).toContain(`${to[0]}***@example.test`);
    expect(app.logs()).not.toContain(to);
  });
});
