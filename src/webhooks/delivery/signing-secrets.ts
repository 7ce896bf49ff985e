import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { generateSecret, liveSecrets } from '../domain/signature.js';
import type { DeliveryToSend } from '../webhook.types.js';
import { WebhookSecrets } from '../webhook-secrets.js';

/**
 * Which secrets sign a delivery: the subscription's (plus the previous one during a rotation),
 * or for a job's callbackUrl the configured WEBHOOK_CALLBACK_SECRET list.
 */
@Injectable()
export class SigningSecrets {
  private readonly logger = new Logger(SigningSecrets.name);
  private readonly callbackSecrets: string[];

  constructor(
    config: AppConfig,
    private readonly secrets: WebhookSecrets,
  ) {
    if (config.webhooks.callbackSecrets.length > 0) {
      this.callbackSecrets = config.webhooks.callbackSecrets;
    } else {
      this.callbackSecrets = [generateSecret()];
      this.logger.warn({
        msg: 'WEBHOOK_CALLBACK_SECRET is not set: callbackUrl deliveries are signed with a random per-process secret receivers cannot verify',
      });
    }
  }

  for(delivery: DeliveryToSend, now: Date = new Date()): string[] {
    if (delivery.subscriptionId === null) return this.callbackSecrets;
    if (!delivery.secret) throw new Error(`subscription ${delivery.subscriptionId} has no secret`);
    const previous = delivery.previousSecret === null ? null : this.secrets.open(delivery.previousSecret);
    return liveSecrets(this.secrets.open(delivery.secret), previous, delivery.previousSecretExpiresAt, now);
  }
}
