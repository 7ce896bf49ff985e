import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { resolveMasterKey } from './master-key.js';
import { SecretBox } from './secret-box.js';

/** The SecretBox every module seals its secrets with. */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('Secrets');
        const master = resolveMasterKey(config);
        if (master.generated) logger.warn({ msg: 'SECRETS_KEY is not set: generated a key for secrets at rest', file: master.file });
        if (!config.secrets.key && config.profile === 'distributed') {
          logger.warn({ msg: 'SECRETS_KEY is not set on the distributed profile: every node must use the same key, or they cannot read each other’s secrets' });
        }
        return new SecretBox(master.key, config.secrets.previousKeys);
      },
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
