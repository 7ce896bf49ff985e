import { Injectable } from '@nestjs/common';
import { SecretBox } from '../secrets/secret-box.js';

const PURPOSE = 'longhaul:webhook-signing-secret';
/** Opened secrets kept in memory (the process holds the key anyway): one AES-GCM open per subscription, not per delivery. */
const OPENED_MAX = 1000;

/** Webhook signing secrets as stored: sealed with the SecretBox, never in plain text. */
@Injectable()
export class WebhookSecrets {
  /** By sealed text: every seal has its own IV, so a rotated or re-sealed secret is a new entry. */
  private readonly opened = new Map<string, string>();

  constructor(private readonly box: SecretBox) {}

  seal(secret: string): string {
    return this.box.seal(secret, PURPOSE);
  }

  /** Rows written before encryption at rest hold the plain secret until the start-up re-seal has run. */
  open(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    let secret = this.opened.get(stored);
    if (secret === undefined) {
      secret = this.box.open(stored, PURPOSE);
      if (this.opened.size >= OPENED_MAX) this.opened.delete(this.opened.keys().next().value as string);
      this.opened.set(stored, secret);
    }
    return secret;
  }

  /** Plain, or sealed under a key that is no longer the current one. */
  needsReseal(stored: string): boolean {
    return !this.box.isCurrent(stored);
  }
}
