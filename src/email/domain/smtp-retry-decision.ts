import { retryOrGiveUp, type RetryLimits } from '../../common/retry/backoff.js';

/** How one SMTP attempt ended, as far as the retry rules care. */
export type SmtpResult =
  | { kind: 'accepted' }
  /** The server answered with an SMTP reply code (4xx transient, 5xx permanent). */
  | { kind: 'rejected'; code: number; message: string }
  /** No answer: refused connection, timeout, TLS or DNS failure. */
  | { kind: 'unreachable'; message: string }
  /** The message itself cannot be sent (bad envelope): sending it again cannot help. */
  | { kind: 'invalid'; message: string };

export type SmtpDecision =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; delayMs: number; reason: string }
  | { outcome: 'failed'; reason: string };

/**
 * The webhook rules carried over to SMTP: accepted delivers; a 5xx reply or an invalid message is
 * final; a 4xx reply or an unreachable server retries on the same schedule until the round's attempts run out.
 */
export function decideSmtp(result: SmtpResult, attempt: number, limits: RetryLimits, random: () => number = Math.random): SmtpDecision {
  switch (result.kind) {
    case 'accepted':
      return { outcome: 'delivered' };
    case 'invalid':
      return { outcome: 'failed', reason: result.message };
    case 'rejected':
      if (result.code >= 500) return { outcome: 'failed', reason: `SMTP ${result.code}: ${result.message}` };
      return retryOrGiveUp(`SMTP ${result.code}: ${result.message}`, attempt, limits, 0, random);
    case 'unreachable':
      return retryOrGiveUp(result.message, attempt, limits, 0, random);
  }
}
