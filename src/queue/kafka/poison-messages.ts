import { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { DeadLetterHeaders, originHeaders, type MessageOrigin } from './dead-letter-headers.js';
import type { KafkaConnection } from './kafka-connection.js';

const REASON_MAX = 1000;

/**
 * Copies a message that can never become a job to the dead letter topic, byte for byte, with why
 * (reason and code headers) and where it came from. Sent before the offset moves on: a failed send
 * throws, and the message is handled again.
 */
export class PoisonMessages {
  private readonly logger = new Logger(PoisonMessages.name);

  constructor(
    private readonly connection: KafkaConnection,
    private readonly deadLetterTopic: string,
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
  }
}
