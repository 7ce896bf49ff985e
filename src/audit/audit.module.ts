import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditRetention } from './audit-retention.js';
import { AuditTrail } from './audit-trail.js';

/** The append-only audit trail: `@Audited` handlers are recorded by a global interceptor; admins read it at /admin/audit. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditLogRepository, AuditTrail, AuditRetention, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditTrail],
})
export class AuditModule {}
