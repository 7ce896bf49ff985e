import { Global, Module } from '@nestjs/common';
import { AuditRecorder } from '../common/audit/audit-recorder.port.js';
import { AuditController } from './audit.controller.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditRetention } from './audit-retention.js';
import { AuditTrail } from './audit-trail.js';

/** The append-only audit trail: `@Audited` handlers are recorded through the AuditRecorder it provides; admins read it at /admin/audit. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditLogRepository, AuditTrail, AuditRetention, { provide: AuditRecorder, useExisting: AuditTrail }],
  exports: [AuditTrail, AuditRecorder],
})
export class AuditModule {}
