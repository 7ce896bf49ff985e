import { Injectable, Logger } from '@nestjs/common';
import { AuditRecorder, type AuditEntryInput } from '../common/audit/audit-recorder.port.js';
import { AuditLogRepository } from './audit-log.repository.js';

/** Writes the audit trail. A failed write is logged at error level: the action itself already happened. */
@Injectable()
export class AuditTrail extends AuditRecorder {
  private readonly logger = new Logger(AuditTrail.name);

  constructor(private readonly log: AuditLogRepository) {
    super();
  }

  async record(entry: AuditEntryInput): Promise<void> {
    try {
      await this.log.append(entry);
    } catch (error) {
      this.logger.error({ msg: 'could not write the audit trail', action: entry.action, actor: entry.actor, target: entry.target, error: String(error) });
    }
  }
}
