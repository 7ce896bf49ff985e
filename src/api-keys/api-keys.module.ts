import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ManagedApiKeys } from './managed-api-keys.js';

/** Keys made and deleted at run time through /admin/api-keys; the authentication hook asks ManagedApiKeys. */
@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, ManagedApiKeys],
  exports: [ManagedApiKeys],
})
export class ApiKeysModule {}
