import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { AppConfig } from '../../config/app-config.js';

const LEVEL_NAMES: Record<number, string> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through our structured logger; info and debug stay quiet unless asked for. */
function logCreator() {
  const logger = new Logger('Kafka');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const entry = { msg: message, kafkaLevel: LEVEL_NAMES[level], ...extra };
    if (level === logLevel.ERROR) logger.error(entry);
    else if (level === logLevel.WARN) logger.warn(entry);
  };
}

export function createKafka(config: AppConfig): Kafka {
  return new Kafka({
    clientId: config.kafkaClientId,
    brokers: config.kafkaBrokers,
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
  });
}
