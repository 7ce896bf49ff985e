import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { RetentionRegistry } from '../retention/retention-registry.js';
import { AuditLogRepository } from './audit-log.repository.js';

/** Audit rows expire after AUDIT_RETENTION_DAYS (their own setting, independent of job retention). */
@Injectable()
export class AuditRetention {
  constructor(config: AppConfig, log: AuditLogRepository, registry: RetentionRegistry) {
    registry.register({ name: 'audit trail', prune: (limit) => log.deleteOlderThan(config.retention.auditDays, limit) });
  }
}
