import nodemailer from 'nodemailer';
import { uniqueName } from './support/kafka.js';
import { GREENMAIL, waitForMessages } from './support/greenmail.js';

/** The SMTP server of `npm run infra:up` works end to end: nodemailer sends, GreenMail's API reads it back. */
describe('GreenMail (local SMTP server)', () => {
  const transport = nodemailer.createTransport({ host: GREENMAIL.smtpHost, port: GREENMAIL.smtpPort, secure: false, ignoreTLS: true });

  afterAll(() => transport.close());

  it('receives a message sent through nodemailer and shows it through its API', async () => {
    const to = `${uniqueName()}@example.test`;
    const sent = await transport.sendMail({
      from: 'longhaul <noreply@longhaul.test>',
      to,
      subject: 'Job 42 is COMPLETED ✓',
      text: 'Your job finished: http://127.0.0.1:3000/jobs/42',
      html: '<p>Your job finished: <a href="http://127.0.0.1:3000/jobs/42">job 42</a></p>',
    });
    expect(sent.accepted).toEqual([to]);

    const [message, ...more] = await waitForMessages(to);
    expect(more).toEqual([]);
    expect(message['Message-ID']).toBe(sent.messageId);
    expect(message.subject).toBe('Job 42 is COMPLETED ✓');
    expect(message.contentType).toContain('multipart/alternative');
    expect(message.mimeMessage).toContain('Your job finished: http://127.0.0.1:3000/jobs/42');
    expect(message.mimeMessage).toContain('<a href="http://127.0.0.1:3000/jobs/42">job 42</a>');
  });
});
