import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RolesGuard } from '../auth/roles.guard.js';
import { BacklogGuard } from './backlog/backlog.guard.js';
import { TenantBacklog } from './backlog/tenant-backlog.js';
import { TenantBacklogRepository } from './backlog/tenant-backlog.repository.js';

/** Authorization on every route (RolesGuard) and the per-tenant submission backlog. */
@Global()
@Module({
  providers: [{ provide: APP_GUARD, useClass: RolesGuard }, TenantBacklogRepository, TenantBacklog, BacklogGuard],
  exports: [TenantBacklog, BacklogGuard],
})
export class TenancyModule {}
