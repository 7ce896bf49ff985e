import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';

/**
 * At start, seals what is not sealed under the current key: plain secrets from before encryption at
 * rest, and secrets sealed with a key now listed in SECRETS_PREVIOUS_KEYS (key rotation). Each row
 * is rewritten only if unchanged meanwhile, so nodes starting together cannot clobber a rotation.
 */
@Injectable()
export class WebhookSecretsReseal implements OnApplicationBootstrap {
  private readonly logger = new Logger('Secrets');

  constructor(
    private readonly config: AppConfig,
    private readonly repository: WebhookSubscriptionsRepository,
    private readonly secrets: WebhookSecrets,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsApi) return;
    let resealed = 0;
    for (const row of await this.repository.storedSecrets()) {
      const stale = this.secrets.needsReseal(row.secret) || (row.previousSecret !== null && this.secrets.needsReseal(row.previousSecret));
      if (!stale) continue;
      const reseal = (stored: string) => this.secrets.seal(this.secrets.open(stored));
      const changed = await this.repository.replaceSecrets(row, {
        secret: reseal(row.secret),
        previousSecret: row.previousSecret === null ? null : reseal(row.previousSecret),
      });
      if (changed) resealed += 1;
    }
    if (resealed > 0) this.logger.log({ msg: 'webhook secrets sealed under the current key', subscriptions: resealed });
  }
}
