import { waitFor } from './wait-for.js';

/** GreenMail started by `npm run infra:up` (scripts/infra/greenmail.sh). Never stopped by a test. */
export const GREENMAIL = {
  smtpHost: '127.0.0.1',
  smtpPort: 3025,
  smtpUrl: 'smtp://127.0.0.1:3025',
  apiUrl: 'http://127.0.0.1:8025',
};

/** One message as GreenMail's API shows it: the raw MIME text is in `mimeMessage`. */
export interface ReceivedMessage {
  'Message-ID': string;
  subject: string;
  contentType: string;
  mimeMessage: string;
}

/** What arrived for an address so far (every recipient gets a mailbox on delivery). */
export async function messagesFor(address: string): Promise<ReceivedMessage[]> {
  const answer = await fetch(`${GREENMAIL.apiUrl}/api/user/${encodeURIComponent(address)}/messages/`);
  if (answer.status === 404) return [];
  if (!answer.ok) throw new Error(`GreenMail API answered ${answer.status} for ${address}`);
  return (await answer.json()) as ReceivedMessage[];
}

/** Polls the mailbox until it holds at least `count` messages. */
export function waitForMessages(address: string, count = 1, timeoutMs = 15_000): Promise<ReceivedMessage[]> {
  return waitFor(async () => {
    const messages = await messagesFor(address);
    return messages.length >= count ? messages : false;
  }, { timeoutMs, intervalMs: 100, what: `${count} message(s) for ${address} in GreenMail` });
}
