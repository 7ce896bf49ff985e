import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config.js';
import { maskAddress } from '../domain/mask-address.js';
import type { SmtpResult } from '../domain/smtp-retry-decision.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our message id (the job event's): receivers can tell a resend from a new event. */
  messageId: string;
}

const ADDRESS_IN_TEXT = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
/** Errors without an SMTP reply that no resend can fix. */
const INVALID_MESSAGE_CODES = ['EENVELOPE', 'EMESSAGE'];

/** Sends one email over SMTP_URL with nodemailer and says how it went; never throws. */
@Injectable()
export class SmtpMailer implements OnApplicationShutdown {
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(config: AppConfig) {
    const settings = config.email;
    this.from = settings.from;
    this.transport = settings.smtpUrl
      ? nodemailer.createTransport({
          url: settings.smtpUrl,
          connectionTimeout: settings.timeoutMs,
          greetingTimeout: settings.timeoutMs,
          socketTimeout: settings.timeoutMs,
        } as Parameters<typeof nodemailer.createTransport>[0])
      : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(email: OutgoingEmail): Promise<SmtpResult> {
    if (!this.transport) return { kind: 'unreachable', message: 'SMTP_URL is not set' };
    try {
      await this.transport.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${email.messageId}@longhaul>`,
      });
      return { kind: 'accepted' };
    } catch (error) {
      return classify(error);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}

function classify(error: unknown): SmtpResult {
  const { responseCode, code, message } = error as { responseCode?: number; code?: string; message?: string };
  const text = maskAddresses(message ?? String(error));
  if (typeof responseCode === 'number') return { kind: 'rejected', code: responseCode, message: text };
  if (code && INVALID_MESSAGE_CODES.includes(code)) return { kind: 'invalid', message: text };
  return { kind: 'unreachable', message: code && !text.includes(code) ? `${text} (${code})` : text };
}

/** Server replies often quote the recipient: the log and the delivery row keep it masked. */
export function maskAddresses(text: string): string {
  return text.replace(ADDRESS_IN_TEXT, (address) => maskAddress(address));
}
