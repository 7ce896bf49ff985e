import { Logger } from '@nestjs/common';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { isTenantName } from '../../common/tenant.js';
import { TENANT_HEADER } from '../../tenancy/kafka-tenant-header.js';
import type { DeadMessagesRepository } from '../dead-messages/dead-messages.repository.js';
import { DeadLetterHeaders, originHeaders, type MessageOrigin } from './dead-letter-headers.js';
import type { KafkaConnection } from './kafka-connection.js';

const REASON_MAX = 1000;

/** Header values as text, for people reading them (a Kafka header may hold any bytes, or several values). */
function readableHeaders(headers: IHeaders | undefined): Record<string, string> {
  const readable: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    readable[name] = (Array.isArray(value) ? value : [value]).map((part) => part.toString()).join(', ');
  }
  return readable;
}

/**
 * Copies a message that can never become a job to the dead letter topic, byte for byte, with why
 * (reason and code headers) and where it came from, and records it in PostgreSQL so operators can
 * find, correct and replay it (GET /admin/dlq/messages). Both happen before the offset moves on: a
 * failure throws, and the message is handled again (the record is idempotent per origin).
 */
export class PoisonMessages {
  private readonly logger = new Logger(PoisonMessages.name);

  constructor(
    private readonly connection: KafkaConnection,
    private readonly deadLetterTopic: string,
    private readonly records: DeadMessagesRepository,
  ) {}

  async deadLetter(message: KafkaMessage, origin: MessageOrigin, code: string, reason: string): Promise<void> {
    this.logger.warn({ msg: 'message sent to the dead letter topic', code, reason: reason.slice(0, 200), ...origin });
    await this.connection.send(this.deadLetterTopic, [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DeadLetterHeaders.reason]: reason.slice(0, REASON_MAX),
          [DeadLetterHeaders.code]: code,
          [DeadLetterHeaders.attempts]: '0',
          [DeadLetterHeaders.failedAt]: new Date().toISOString(),
          ...originHeaders(origin),
        },
      },
    ]);
    const headers = readableHeaders(message.headers);
    const tenant = headers[TENANT_HEADER];
    await this.records.record({
      origin,
      key: message.key ?? null,
      value: message.value ?? null,
      headers,
      code,
      reason: reason.slice(0, REASON_MAX),
      tenant: tenant !== undefined && isTenantName(tenant) ? tenant : null,
    });
  }
}
