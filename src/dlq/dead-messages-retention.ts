import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DeadMessagesRepository } from '../queue/dead-messages/dead-messages.repository.js';
import { RetentionRegistry } from '../retention/retention-registry.js';

/** Records of dead-lettered Kafka messages expire after DEAD_MESSAGE_RETENTION_DAYS. */
@Injectable()
export class DeadMessagesRetention {
  constructor(config: AppConfig, messages: DeadMessagesRepository, registry: RetentionRegistry) {
    registry.register({ name: 'dead messages', prune: (limit) => messages.deleteOlderThan(config.retention.deadMessageDays, limit) });
  }
}
