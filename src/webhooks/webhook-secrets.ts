import { Injectable } from '@nestjs/common';
import { SecretBox } from '../secrets/secret-box.js';

const PURPOSE = 'longhaul:webhook-signing-secret';

/** Webhook signing secrets as stored: sealed with the SecretBox, never in plain text. */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(secret: string): string {
    return this.box.seal(secret, PURPOSE);
  }

  /** Rows written before encryption at rest hold the plain secret until the start-up re-seal has run. */
  open(stored: string): string {
    return SecretBox.isSealed(stored) ? this.box.open(stored, PURPOSE) : stored;
  }

  /** Plain, or sealed under a key that is no longer the current one. */
  needsReseal(stored: string): boolean {
    return !this.box.isCurrent(stored);
  }
}
